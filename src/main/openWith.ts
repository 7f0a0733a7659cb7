import { posix, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ArgvContext {
  platform: NodeJS.Platform;
  /**
   * Started as `electron <app path>` (development): the first argument after the executable is
   * the app, not a file.
   */
  appPathArgument: boolean;
  /** What relative paths are relative to: the launching process's working directory. */
  cwd: string;
}

/**
 * The files a command line hands the app ("Open with" on Windows and Linux starts it, or a
 * second instance, with the files as arguments): every argument that is not a switch, after the
 * executable (and, in development, the app path), as an absolute path. Linux desktop entries may
 * pass `file://` URLs. Chromium may reorder switches, so arguments are told apart by their form,
 * not their place. macOS hands files over as `open-file` events instead; its argv has none.
 */
export function pathsFromArgv(argv: readonly string[], context: ArgvContext): string[] {
  if (context.platform === 'darwin') return [];
  const path = context.platform === 'win32' ? win32 : posix;
  const paths: string[] = [];
  let appPathSkipped = !context.appPathArgument;
  let switches = true;
  for (const arg of argv.slice(1)) {
    if (switches && arg === '--') {
      switches = false;
      continue;
    }
    if (switches && arg.startsWith('-')) continue;
    if (arg.trim() === '') continue;
    if (!appPathSkipped) {
      appPathSkipped = true;
      continue;
    }
    const local = fromFileUrl(arg, context.platform);
    if (local === undefined) continue;
    paths.push(path.resolve(context.cwd, local));
  }
  return paths;
}

/** A local path as is, a `file://` URL as its path; undefined for any other URL. */
function fromFileUrl(arg: string, platform: NodeJS.Platform): string | undefined {
  // Two letters or more before "://": a URL (a Windows drive letter is one letter).
  const scheme = /^([a-z][a-z0-9+.-]+):\/\//i.exec(arg)?.[1]?.toLowerCase();
  if (scheme === undefined) return arg;
  if (scheme !== 'file') return undefined;
  try {
    return fileURLToPath(arg, { windows: platform === 'win32' });
  } catch {
    return undefined;
  }
}

/**
 * Paths that arrive before core is ready (launch arguments, macOS `open-file` before `ready`)
 * wait here, then go to core in the order they came; later ones go straight through.
 */
export class OpenedPathsInbox {
  private waiting: string[] = [];
  private deliver: ((paths: string[]) => void) | null = null;

  add(paths: readonly string[]): void {
    if (paths.length === 0) return;
    if (this.deliver) this.deliver([...paths]);
    else this.waiting.push(...paths);
  }

  connect(deliver: (paths: string[]) => void): void {
    this.deliver = deliver;
    const waiting = this.waiting;
    this.waiting = [];
    if (waiting.length > 0) deliver(waiting);
  }
}
