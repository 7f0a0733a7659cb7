/** One thumbnail for the worker to make: decode `source`, write WebP to `temp`, rename to `target`. */
export interface ThumbTask {
  type: 'make';
  /** For messages only: the bytes were read by the parent through its checked open. */
  source: string;
  bytes: Uint8Array;
  target: string;
  /** From `tempPathFor(target)`, so the start-up sweep recognises a leftover. */
  temp: string;
  size: number;
  quality: number;
  effort: number;
  maxInputPixels: number;
}

export type ThumbWorkerRequest = ThumbTask | { type: 'close' };

export type ThumbWorkerReply =
  | { type: 'ready' }
  | { type: 'done'; width: number; height: number }
  | { type: 'failed'; message: string; missing: boolean };

export interface ThumbWorkerData {
  /** Absolute path of sharp's CommonJS entry, resolved by the parent. */
  sharpPath: string;
}

/**
 * The worker thread's code, run with `new Worker(THUMB_WORKER_SOURCE, { eval: true })`.
 *
 * Why a string and not a worker file: the same code runs from TypeScript sources (vitest, tsx)
 * and from electron-vite's single-file bundle of the main process, where a sibling `.ts`/`.js`
 * worker path does not exist. An eval'd CommonJS script has no path to get wrong; the only thing
 * it loads is sharp, by the absolute path the parent resolved (inside app.asar when packaged,
 * which Electron's worker threads read; sharp's native parts are asar-unpacked).
 *
 * It handles one task at a time (the parent never sends a second before the reply), so a crash
 * costs at most one job. Writes are atomic: temp file in the target folder, fsync, rename.
 */
export const THUMB_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { mkdir, open, rename, rm } = require('node:fs/promises');
const { dirname } = require('node:path');
const sharp = require(workerData.sharpPath);

async function make(task) {
  const { data, info: out } = await sharp(task.bytes, {
    limitInputPixels: task.maxInputPixels,
    failOn: 'truncated',
    sequentialRead: true,
    autoOrient: true,
  })
    .resize(task.size, task.size, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: task.quality, effort: task.effort })
    .toBuffer({ resolveWithObject: true });
  await mkdir(dirname(task.target), { recursive: true });
  const file = await open(task.temp, 'wx');
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(task.temp, task.target);
  return { type: 'done', width: out.width, height: out.height };
}

parentPort.on('message', async (request) => {
  if (request.type === 'close') return parentPort.close();
  try {
    parentPort.postMessage(await make(request));
  } catch (error) {
    await rm(request.temp, { force: true }).catch(() => undefined);
    parentPort.postMessage({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
      missing: false,
    });
  }
});
parentPort.postMessage({ type: 'ready' });
`;
