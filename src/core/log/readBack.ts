import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { isoDateSchema } from '@shared/domain/job';
import type { LogEntry } from './logger';

/**
 * How much of the log the in-app view reads back: the newest 2 MB across the current file and
 * the rotated ones (about 10,000 lines), so opening it stays quick however long the app has run.
 */
export const LOG_READ_BACK_BYTES = 2 * 1024 * 1024;

/**
 * One line of the log file. The file is ours, but it survives versions, crashes mid-line and
 * hand edits: anything that does not match is skipped, never shown half-parsed.
 */
const logLineSchema = z.object({
  time: isoDateSchema,
  level: z.enum(['debug', 'info', 'warn', 'error']),
  scope: z.string().max(200),
  message: z.string(),
  fields: z.record(z.string(), z.unknown()).optional(),
});

const NEWLINE = 0x0a;

/**
 * The rotated files of `baseName` in `dir`, newest first: main.log, main.1.log, main.2.log…
 * (RotatingFileSink's naming; `keep` files in all).
 */
export function logFilesNewestFirst(dir: string, baseName: string, keep: number): string[] {
  const files = [join(dir, `${baseName}.log`)];
  for (let index = 1; index < keep; index += 1) files.push(join(dir, `${baseName}.${index}.log`));
  return files;
}

/**
 * The last `maxBytes` of the log, oldest entry first, parsed line by line. A line cut by the
 * byte cap is dropped whole (the cut is made at a newline before decoding, so no character is
 * split either); a missing file is simply no lines.
 */
export async function readLogTail(
  files: readonly string[],
  maxBytes: number = LOG_READ_BACK_BYTES,
): Promise<LogEntry[]> {
  const chunks: Buffer[] = [];
  let budget = maxBytes;
  for (const file of files) {
    if (budget <= 0) break;
    const tail = await readFileTail(file, budget);
    if (tail === null) continue;
    chunks.unshift(tail.bytes);
    // A file read only in part leaves a gap before it: older files would not join up.
    if (tail.cut) break;
    budget -= tail.bytes.length;
  }
  const entries: LogEntry[] = [];
  for (const chunk of chunks) {
    for (const line of chunk.toString('utf8').split('\n')) {
      const entry = parseLogLine(line);
      if (entry) entries.push(entry);
    }
  }
  return entries;
}

/** One line of the file as an entry, or null when it is not one. */
export function parseLogLine(line: string): LogEntry | null {
  if (line.trim() === '') return null;
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = logLineSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { fields, ...rest } = parsed.data;
  return fields === undefined ? rest : { ...rest, fields };
}

/**
 * Up to `maxBytes` from the end of `file`, starting after a newline (`cut`: the file had more
 * before that); null when it cannot be read.
 */
async function readFileTail(file: string, maxBytes: number): Promise<{ bytes: Buffer; cut: boolean } | null> {
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const start = size - length;
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(buffer, read, length - read, start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    const bytes = buffer.subarray(0, read);
    if (start === 0) return { bytes, cut: false };
    // Started mid-file: the first (partial) line belongs to bytes that were not read.
    const firstNewline = bytes.indexOf(NEWLINE);
    return { bytes: firstNewline === -1 ? Buffer.alloc(0) : bytes.subarray(firstNewline + 1), cut: true };
  } catch {
    return null;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
