import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FileStore, StoredFile } from './files';
import {
  extensionForMime,
  fetchBounded,
  isRecord,
  mimeFromName,
  parseJsonBody,
  SimError,
  sniffMime,
  UPLOAD_FILE_LIMIT,
} from './http';
import type { Lifetime } from './lifetime';

/** file-url-upload gives the remote 30 s (kie-api.md). */
const URL_UPLOAD_TIMEOUT_MS = 30_000;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

export interface UploadAnswer {
  success: true;
  code: 200;
  msg: string;
  data: {
    fileId: string;
    fileName: string;
    filePath: string;
    downloadUrl: string;
    fileUrl: string;
    fileSize: number;
    mimeType: string;
    uploadedAt: string;
  };
}

export type UploadKind = 'base64' | 'stream' | 'url';

/** Parses and stores one upload; throws SimError for the envelope. `summary` feeds the request log. */
export async function handleUpload(
  kind: UploadKind,
  raw: Buffer,
  request: IncomingMessage,
  context: { files: FileStore; lifetime: Lifetime; onBody(body: unknown): void },
): Promise<UploadAnswer> {
  const parsed =
    kind === 'stream'
      ? await readMultipart(raw, request.headers['content-type'] ?? '')
      : await readJsonUpload(kind, raw);
  context.onBody(parsed.logBody);
  const { uploadPath, fileName } = parsed;
  let bytes: Buffer;
  let declaredMime: string | null;
  if (parsed.source.type === 'bytes') {
    bytes = parsed.source.bytes;
    declaredMime = parsed.source.mime;
  } else {
    const fetched = await fetchBounded(parsed.source.url, {
      signal: context.lifetime.bounded(URL_UPLOAD_TIMEOUT_MS),
      maxBytes: UPLOAD_FILE_LIMIT,
      label: 'fileUrl',
    });
    bytes = fetched.bytes;
    declaredMime = fetched.contentType?.split(';')[0]?.trim() || null;
  }
  if (bytes.byteLength === 0) throw new SimError(422, 'The file is empty.');
  if (bytes.byteLength > UPLOAD_FILE_LIMIT)
    throw new SimError(413, `The file is larger than ${UPLOAD_FILE_LIMIT} bytes.`);
  const mimeType =
    sniffMime(bytes) ??
    (declaredMime && declaredMime !== 'application/octet-stream' ? declaredMime : null) ??
    (fileName ? mimeFromName(fileName) : null) ??
    'application/octet-stream';
  const name = fileName || `${randomBytes(8).toString('hex')}.${extensionForMime(mimeType)}`;
  const stored = context.files.put({ bytes, mimeType, fileName: name, dir: uploadPath });
  return answer(stored, context.files.urlFor(stored));
}

function answer(file: StoredFile, url: string): UploadAnswer {
  return {
    success: true,
    code: 200,
    msg: 'File uploaded successfully',
    data: {
      fileId: file.id,
      fileName: file.fileName,
      filePath: file.filePath,
      downloadUrl: url,
      fileUrl: url,
      fileSize: file.bytes.byteLength,
      mimeType: file.mimeType,
      uploadedAt: new Date(file.createdAt).toISOString(),
    },
  };
}

interface ParsedUpload {
  uploadPath: string;
  fileName: string | null;
  source: { type: 'bytes'; bytes: Buffer; mime: string | null } | { type: 'url'; url: string };
  logBody: unknown;
}

function stringField(body: Record<string, unknown>, key: string, required: boolean): string | null {
  const value = body[key];
  if (value === undefined || value === null || value === '') {
    if (required) throw new SimError(422, `${key} is required.`);
    return null;
  }
  if (typeof value !== 'string') throw new SimError(422, `${key} must be a string.`);
  return value;
}

/** A file name cannot climb out of its upload folder. */
function safeName(name: string | null): string | null {
  if (name === null) return null;
  const base = name.split(/[\\/]/).pop()?.trim() ?? '';
  if (base === '' || base === '.' || base === '..' || base.length > 200)
    throw new SimError(422, 'fileName is invalid.');
  return base;
}

async function readJsonUpload(kind: 'base64' | 'url', raw: Buffer): Promise<ParsedUpload> {
  const body = parseJsonBody(raw);
  if (!isRecord(body)) throw new SimError(422, 'Request body must be a JSON object.');
  const uploadPath = stringField(body, 'uploadPath', true) ?? '';
  const fileName = safeName(stringField(body, 'fileName', false));
  if (kind === 'url') {
    const url = stringField(body, 'fileUrl', true) ?? '';
    return { uploadPath, fileName, source: { type: 'url', url }, logBody: body };
  }
  const data = stringField(body, 'base64Data', true) ?? '';
  const { bytes, mime } = decodeBase64Data(data);
  return { uploadPath, fileName, source: { type: 'bytes', bytes, mime }, logBody: body };
}

/** Accepts `data:<mime>;base64,<payload>` or plain base64 (standard or URL-safe). */
export function decodeBase64Data(data: string): { bytes: Buffer; mime: string | null } {
  let payload = data;
  let mime: string | null = null;
  const dataUrl = /^data:([^;,]*)(;[^,]*)?,/i.exec(data);
  if (dataUrl) {
    if (!/;base64/i.test(dataUrl[2] ?? '')) throw new SimError(422, 'base64Data must be base64-encoded.');
    mime = dataUrl[1] || null;
    payload = data.slice(dataUrl[0].length);
  }
  payload = payload.replace(/\s+/g, '');
  if (payload === '' || !BASE64.test(payload)) throw new SimError(422, 'base64Data is not valid base64.');
  return { bytes: Buffer.from(payload, 'base64'), mime };
}

async function readMultipart(raw: Buffer, contentType: string): Promise<ParsedUpload> {
  if (!/^multipart\/form-data/i.test(contentType)) {
    throw new SimError(422, 'file-stream-upload expects multipart/form-data.');
  }
  let form: FormData;
  try {
    form = await new Request('http://simulator.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: new Uint8Array(raw),
    }).formData();
  } catch {
    throw new SimError(422, 'The multipart body could not be parsed.');
  }
  const file = form.get('file');
  if (file === null || typeof file === 'string') throw new SimError(422, 'file is required.');
  const uploadPathValue = form.get('uploadPath');
  if (typeof uploadPathValue !== 'string' || uploadPathValue === '')
    throw new SimError(422, 'uploadPath is required.');
  const fileNameValue = form.get('fileName');
  const fileName = safeName(
    typeof fileNameValue === 'string' && fileNameValue !== '' ? fileNameValue : file.name || null,
  );
  const bytes = Buffer.from(await file.arrayBuffer());
  return {
    uploadPath: uploadPathValue,
    fileName,
    source: { type: 'bytes', bytes, mime: file.type || null },
    logBody: {
      file: `[${file.type || 'file'}, ${bytes.byteLength} bytes]`,
      uploadPath: uploadPathValue,
      fileName,
    },
  };
}
