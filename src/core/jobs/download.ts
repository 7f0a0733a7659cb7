import { open, rm } from 'node:fs/promises';
import type { ImageFormat } from '@shared/domain/image';
import { AppError, isAppError } from '@shared/ipc/result';
import { tempPathFor } from '../fs/atomic';
import { detectImageFormat } from '../gallery/metadata';
import { PngStreamCheck } from './pngStream';

export interface DownloadLimits {
  maxBytes: number;
  /** Abort a try when no byte arrived for this long. There is no cap on the whole download: a
   * slow link that keeps sending gets there (a fixed total would fail it every time). */
  idleMs: number;
}

export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = {
  maxBytes: 64 * 1024 * 1024,
  idleMs: 20_000,
};

/** How much of a download may be written before it is flushed to disk in the background. */
const FLUSH_EVERY_BYTES = 1024 * 1024;
/** Resumes after a dropped connection, each one only after the last try brought new bytes. */
const MAX_RESUMES = 8;
/** Of those, resumes after a stall (bytes stopped coming): a host that keeps stalling is slow to
 * give up on, so it gets fewer. */
const MAX_STALL_RESUMES = 2;
/** What file hosts answer for a link that has expired or was never there. */
const EXPIRED_STATUSES = new Set([401, 403, 404, 410]);

export interface DownloadedImage {
  /** fsynced temp file in the destination folder; the caller renames it into place. */
  tempPath: string;
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
}

function expiredError(status: number, why: string): AppError {
  return new AppError('NOT_FOUND', `The result link ${why}; it may have expired.`, { status, expired: true });
}

/** An HTML page where an image should be: what CDNs answer (often with 200) for a dead link. */
function looksLikeHtml(head: Uint8Array): boolean {
  // No image format begins with '<' (after whitespace); every HTML or XML page does.
  return Buffer.from(head).toString('latin1').trimStart().startsWith('<');
}

/**
 * Streams a result image into a temp file next to its destination, with a size cap and an idle
 * timeout per try, then checks magic bytes and fully decodes it before declaring success. A
 * connection that drops midway is resumed with `Range` when the host allows it (same validator,
 * 206 from the byte it stopped at), else started over; a gzip-encoded answer is decoded.
 * PNGs (what KIE returns by default) are verified while they stream in, so the check adds no
 * time after the last byte; other formats are decoded once complete.
 * An expired link (401/403/404/410, or an HTML page instead of the image) is reported as
 * NOT_FOUND with `details.expired` so the caller can get a fresh one from KIE.
 */
export async function downloadImage(
  url: string,
  destDir: string,
  limits: DownloadLimits = DEFAULT_DOWNLOAD_LIMITS,
  signal?: AbortSignal,
): Promise<DownloadedImage> {
  const tempPath = tempPathFor(`${destDir}/download`);
  const file = await open(tempPath, 'wx');
  let closed = false;
  try {
    const head = new Uint8Array(12);
    let pngCheck = new PngStreamCheck();
    let bytes = 0;
    /** Total size and validator from the first full answer; resuming needs both to match. */
    let whole: { size: number | null; validator: string | null; resumable: boolean } | null = null;
    let encoded = false;
    let stalls = 0;
    for (let resumes = 0; ; resumes += 1) {
      const from = bytes;
      const idle = new AbortController();
      let idleTimer = setTimeout(() => idle.abort(), limits.idleMs);
      const combined = signal ? AbortSignal.any([signal, idle.signal]) : idle.signal;
      const headers: Record<string, string> = {};
      if (from > 0 && whole?.resumable) {
        headers['Range'] = `bytes=${from}-`;
        if (whole.validator) headers['If-Range'] = whole.validator;
      }
      try {
        const response = await fetch(url, { signal: combined, redirect: 'follow', headers }).catch(
          (error: unknown) => {
            throw transferError(error, idle.signal.aborted);
          },
        );
        if (EXPIRED_STATUSES.has(response.status))
          throw expiredError(response.status, `answered ${response.status}`);
        if (/^text\/html/i.test(response.headers.get('content-type') ?? '')) {
          await response.body?.cancel().catch(() => undefined);
          throw expiredError(response.status, 'answered with a web page instead of the image');
        }
        const resumed = from > 0 && response.status === 206 && rangeStartsAt(response, from);
        if (!response.body || (response.status !== 200 && !resumed)) {
          await response.body?.cancel().catch(() => undefined);
          throw new AppError('UPSTREAM', `The result download answered ${response.status}.`, {
            status: response.status,
          });
        }
        if (!resumed) {
          // A first answer, or a host that sent the whole file again: start from byte 0.
          if (from > 0) {
            await file.truncate(0);
            bytes = 0;
            pngCheck = new PngStreamCheck();
          }
          encoded = !/^(identity)?$/i.test(response.headers.get('content-encoding') ?? '');
          const declared = Number(response.headers.get('content-length') ?? NaN);
          // With Content-Encoding, Content-Length counts the compressed bytes, not the image's.
          const size = Number.isFinite(declared) && !encoded ? declared : null;
          if (size !== null && size > limits.maxBytes) {
            await response.body.cancel().catch(() => undefined);
            throw new AppError('UPSTREAM', `The result is larger than ${limits.maxBytes} bytes.`, {
              declared,
            });
          }
          whole = {
            size,
            validator: response.headers.get('etag') ?? response.headers.get('last-modified'),
            resumable:
              !encoded && size !== null && /\bbytes\b/i.test(response.headers.get('accept-ranges') ?? ''),
          };
        }
        // Data is flushed to disk while the rest is still on its way (the network is the slow
        // part), so the fsync after the last byte only has the tail left to write.
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
            if (bytes === 0 && looksLikeHtml(chunk.value.subarray(0, 16))) {
              await reader.cancel().catch(() => undefined);
              throw expiredError(response.status, 'answered with a web page instead of the image');
            }
            bytes += chunk.value.byteLength;
            if (bytes > limits.maxBytes) {
              await reader.cancel().catch(() => undefined);
              throw new AppError('UPSTREAM', `The result is larger than ${limits.maxBytes} bytes.`);
            }
            pngCheck.push(chunk.value);
            await file.write(chunk.value, 0, chunk.value.byteLength, bytes - chunk.value.byteLength);
            unflushed += chunk.value.byteLength;
            if (unflushed >= FLUSH_EVERY_BYTES) {
              await flushing;
              unflushed = 0;
              flushing = file.datasync();
            }
          }
        } finally {
          await flushing.catch(() => undefined);
        }
        if (whole?.size != null && bytes !== whole.size) {
          throw new AppError(
            'UPSTREAM',
            `The result download was cut short (${bytes} of ${whole.size} bytes).`,
            {
              cutShort: true,
            },
          );
        }
        break;
      } catch (error) {
        // A dropped or stalled connection that brought bytes this time: pick up where it stopped.
        const retryable =
          isAppError(error) &&
          (error.code === 'OFFLINE' || error.code === 'TIMEOUT' || error.details?.['cutShort'] === true) &&
          !signal?.aborted;
        if (!retryable || bytes <= from || resumes >= MAX_RESUMES) throw error;
        if (error.code === 'TIMEOUT' && (stalls += 1) > MAX_STALL_RESUMES) throw error;
      } finally {
        clearTimeout(idleTimer);
      }
    }
    await file.sync();
    await file.close();
    closed = true;
    const format = detectImageFormat(head.subarray(0, Math.min(bytes, head.length)));
    if (!format) throw new AppError('UPSTREAM', 'The downloaded result is not a PNG, JPEG or WebP image.');
    const { width, height } = format === 'png' ? await checkedPng(pngCheck) : await decodeCheck(tempPath);
    return { tempPath, format, width, height, bytes };
  } catch (error) {
    if (!closed) await file.close().catch(() => undefined);
    await rm(tempPath, { force: true });
    throw error;
  }
}

/** A 206 answer continues exactly at `from` (`Content-Range: bytes <from>-…`). */
function rangeStartsAt(response: Response, from: number): boolean {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
  return match !== null && Number(match[1]) === from;
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
  if (name === 'AbortError') return new AppError('TIMEOUT', 'The result download was stopped.');
  return new AppError('OFFLINE', 'The result could not be downloaded: network error.', {
    cause: error instanceof Error ? error.message : String(error),
  });
}
