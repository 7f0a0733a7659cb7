// `npm run icons`: every app icon from the one drawing, resources/icon.svg.
//   resources/icon.png          1024×1024: electron-builder makes the macOS .icns and the Windows
//                               .ico from it, and the Linux window uses it.
//   resources/icons/NxN.png     the sizes Linux desktops look up (hicolor), for AppImage and deb.
//   src/renderer/public/icon.svg  the page's favicon, the same drawing.
// `npm run dist` runs it first. The output is committed so a fresh checkout can pack without it,
// and tests/unit/icons.test.ts fails when a committed file no longer matches the SVG.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';

export const ROOT = resolve(import.meta.dirname, '..');
export const SVG_PATH = join(ROOT, 'resources', 'icon.svg');
export const FAVICON_PATH = join(ROOT, 'src', 'renderer', 'public', 'icon.svg');
export const MAIN_ICON_SIZE = 1024;
export const LINUX_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;

/** The SVG as a square RGBA PNG of `size` pixels, rasterised at that size (not shrunk from a big bitmap). */
export async function renderIcon(svg: Buffer, size: number): Promise<Buffer> {
  // The drawing is 512 user units wide; this density renders it at `size` pixels directly.
  const density = Math.max(1, (72 * size) / 512);
  return sharp(svg, { density })
    .resize(size, size, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png({ compressionLevel: 9, adaptiveFiltering: true })
    .toBuffer();
}

/** Every PNG the app ships: path relative to the repository, and its size. */
export function iconTargets(): [path: string, size: number][] {
  return [
    ['resources/icon.png', MAIN_ICON_SIZE],
    ...LINUX_ICON_SIZES.map((size): [string, number] => [`resources/icons/${size}x${size}.png`, size]),
  ];
}

async function main(): Promise<void> {
  const svg = await readFile(SVG_PATH);
  for (const [path, size] of iconTargets()) {
    const target = join(ROOT, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await renderIcon(svg, size));
    console.log(`  ${path}  ${size}×${size}`);
  }
  await copyFile(SVG_PATH, FAVICON_PATH);
  console.log('  src/renderer/public/icon.svg');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
