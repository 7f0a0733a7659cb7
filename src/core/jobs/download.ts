import { open, rm } from 'node:fs/promises';
import type { ImageFormat } from '@shared/domain/image';
import { AppError } from '@shared/ipc/result';
import { tempPathFor } from '../fs/atomic';
import { detectImageFormat } from '../gallery/metadata';
import { PngStreamCheck } from './pngStream';

export interface DownloadLimits {
  maxBytes: number;
  /** Whole-download deadline. */
  deadlineMs: number;
  /** Abort when no byte arrived for this long. */
  idleMs: number;
}

export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = {
  maxBytes: 64 * 1024 * 1024,
  deadlineMs: 120_000,
  idleMs: 20_000,
};

/** How much of a download may be written before it is flushed to disk in the background. */
const FLUSH_EVERY_BYTES = 1024 * 1024;

export interface DownloadedImage {
  /** fsynced temp file in the destination folder; the caller renames it into place. */
  tempPath: string;
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
}

/**
 * Streams a result image into a temp file next to its destination, with a size cap, a deadline
 * and an idle timeout, then checks magic bytes and fully decodes it before declaring success.
 * PNGs (what KIE returns by default) are verified while they stream in, so the check adds no
 * time after the last byte; other formats are decoded once complete.
 * A 403/404/410 is reported as NOT_FOUND with `details.expired` so the caller can refresh the
 * link through KIE's download-url endpoint.
 */
export async function downloadImage(
  url: string,
  destDir: string,
  limits: DownloadLimits = DEFAULT_DOWNLOAD_LIMITS,
  signal?: AbortSignal,
): Promise<DownloadedImage> {
  const tempPath = tempPathFor(`${destDir}/download`);
  const idle = new AbortController();
  let idleTimer = setTimeout(() => idle.abort(), limits.idleMs);
  const signals = [AbortSignal.timeout(limits.deadlineMs), idle.signal];
  if (signal) signals.push(signal);
  const combined = AbortSignal.any(signals);
  let bytes = 0;
  try {
    const response = await fetch(url, { signal: combined, redirect: 'follow' }).catch((error: unknown) => {
      throw transferError(error, idle.signal.aborted);
    });
    if (response.status === 403 || response.status === 404 || response.status === 410) {
      throw new AppError('NOT_FOUND', `The result link answered ${response.status}; it may have expired.`, {
        status: response.status,
        expired: true,
      });
    }
    if (!response.ok || !response.body) {
      throw new AppError('UPSTREAM', `The result download answered ${response.status}.`, {
        status: response.status,
      });
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      throw new AppError('UPSTREAM', `The result is larger than ${limits.maxBytes} bytes.`, { declared });
    }
    const file = await open(tempPath, 'wx');
    const head = new Uint8Array(12);
    const pngCheck = new PngStreamCheck();
    // Data is flushed to disk while the rest is still on its way (the network is the slow part),
    // so the fsync after the last byte only has the tail left to write.
    let flushing: Promise<void> = Promise.resolve();
    let unflushed = 0;
    try {
      const reader = response.body.getReader();
      for (;;) {
        const chunk = await reader.read().catch((error: unknown) => {
          throw transferError(error, idle.signal.aborted);
        });
        if (chunk.done) break;
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => idle.abort(), limits.idleMs);
        if (bytes < head.length) head.set(chunk.value.subarray(0, head.length - bytes), bytes);
        bytes += chunk.value.byteLength;
        if (bytes > limits.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new AppError('UPSTREAM', `The result is larger than ${limits.maxBytes} bytes.`);
        }
        pngCheck.push(chunk.value);
        await file.write(chunk.value);
        unflushed += chunk.value.byteLength;
        if (unflushed >= FLUSH_EVERY_BYTES) {
          await flushing;
          unflushed = 0;
          flushing = file.datasync();
        }
      }
      await flushing;
      await file.sync();
    } finally {
      await flushing.catch(() => undefined);
      await file.close();
    }
    if (Number.isFinite(declared) && declared !== bytes) {
      throw new AppError('UPSTREAM', `The result download was cut short (${bytes} of ${declared} bytes).`);
    }
    const format = detectImageFormat(head.subarray(0, Math.min(bytes, head.length)));
    if (!format) throw new AppError('UPSTREAM', 'The downloaded result is not a PNG, JPEG or WebP image.');
    const { width, height } = format === 'png' ? await checkedPng(pngCheck) : await decodeCheck(tempPath);
    return { tempPath, format, width, height, bytes };
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  } finally {
    clearTimeout(idleTimer);
  }
}

async function checkedPng(check: PngStreamCheck): Promise<{ width: number; height: number }> {
  try {
    return await check.finish();
  } catch (error) {
    throw new AppError('UPSTREAM', 'The downloaded result could not be decoded as an image.', {
      cause: error instanceof Error ? error.message : String(error),
    });
  }
}

async function decodeCheck(path: string): Promise<{ width: number; height: number }> {
  const { default: sharp } = await import('sharp');
  try {
    // Reducing to a few pixels decodes every row in one sequential pass (so truncated or corrupt
    // data fails here, not in the gallery) in a fraction of stats()' time and with little memory.
    const meta = await sharp(path).metadata();
    await sharp(path, { failOn: 'truncated', sequentialRead: true })
      .resize(8, 8, { fit: 'fill' })
      .raw()
      .toBuffer();
    if (!meta.width || !meta.height) throw new Error('no dimensions');
    return { width: meta.width, height: meta.height };
  } catch (error) {
    throw new AppError('UPSTREAM', 'The downloaded result could not be decoded as an image.', {
      cause: error instanceof Error ? error.message : String(error),
    });
  }
}

function transferError(error: unknown, idleAborted: boolean): AppError {
  if (error instanceof AppError) return error;
  const name = error instanceof Error ? error.name : '';
  if (idleAborted) return new AppError('TIMEOUT', 'The result download stalled.');
  if (name === 'TimeoutError') return new AppError('TIMEOUT', 'The result download took too long.');
  if (name === 'AbortError') return new AppError('TIMEOUT', 'The result download was stopped.');
  return new AppError('OFFLINE', 'The result could not be downloaded: network error.', {
    cause: error instanceof Error ? error.message : String(error),
  });
}
