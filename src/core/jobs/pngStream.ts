import { crc32, createInflate, type Inflate } from 'node:zlib';

/** Refuse absurd canvases before inflating anything (KIE's 4K results are ~16 MP). */
const MAX_PIXELS = 100_000_000;
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};
/** Adam7 passes: [x start, y start, x step, y step]. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

export class PngCheckError extends Error {}

interface Header {
  width: number;
  height: number;
  /** Scanline lengths (filter byte included) in the order they appear in the inflated data. */
  passes: { rows: number; rowBytes: number }[];
  expectedBytes: number;
}

/** Scanline layout of the image data, per interlace pass, from IHDR's fields. */
export function scanlineLayout(
  width: number,
  height: number,
  bitsPerPixel: number,
  interlaced: boolean,
): { rows: number; rowBytes: number }[] {
  const rowBytes = (pixels: number) => 1 + Math.ceil((pixels * bitsPerPixel) / 8);
  if (!interlaced) return [{ rows: height, rowBytes: rowBytes(width) }];
  return ADAM7.map(([x0, y0, dx, dy]) => ({
    columns: Math.ceil((width - x0) / dx),
    rows: Math.ceil((height - y0) / dy),
  }))
    .filter((pass) => pass.columns > 0 && pass.rows > 0)
    .map((pass) => ({ rows: pass.rows, rowBytes: rowBytes(pass.columns) }));
}

function parseHeader(data: Buffer): Header {
  if (data.length !== 13) throw new PngCheckError('IHDR has the wrong length');
  const width = data.readUInt32BE(0);
  const height = data.readUInt32BE(4);
  const [depth = 0, colourType = 0, compression, filter, interlace] = data.subarray(8);
  const channels = CHANNELS[colourType];
  if (!channels || !DEPTHS[colourType]?.includes(depth)) throw new PngCheckError('unsupported pixel format');
  if (compression !== 0 || filter !== 0 || (interlace !== 0 && interlace !== 1))
    throw new PngCheckError('unknown compression, filter or interlace method');
  if (width === 0 || height === 0 || width * height > MAX_PIXELS)
    throw new PngCheckError(`implausible size ${width}×${height}`);
  const passes = scanlineLayout(width, height, depth * channels, interlace === 1);
  const expectedBytes = passes.reduce((sum, pass) => sum + pass.rows * pass.rowBytes, 0);
  return { width, height, passes, expectedBytes };
}

/**
 * Checks a PNG while it streams in, so verifying a download costs no time after its last byte:
 * signature, chunk order, every chunk's CRC, and the image data inflated to exactly the size
 * IHDR implies with a valid filter type on every scanline. That is all a decoder can fail on,
 * short of unfiltering arithmetic, which cannot fail.
 */
export class PngStreamCheck {
  private pending: Buffer = Buffer.alloc(0);
  private signatureSeen = false;
  private chunk: { type: string; length: number; read: number; crc: number; parts: Buffer[] } | null = null;
  private header: Header | null = null;
  private ended = false;
  private failure: PngCheckError | null = null;
  private inflate: Inflate | null = null;
  private inflated: Promise<void> | null = null;
  private inflatedBytes = 0;
  /** Position in the scanline walk: pass, row in pass, offset in row. */
  private pass = 0;
  private rowsLeft = 0;
  private rowLeft = 0;

  push(bytes: Uint8Array): void {
    if (this.failure) return;
    try {
      this.consume(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (error) {
      this.fail(error);
    }
  }

  /** Resolves with the size once the last byte is in and everything checked out; rejects otherwise. */
  async finish(): Promise<{ width: number; height: number }> {
    if (!this.ended) this.fail(new PngCheckError('the file ends before IEND'));
    if (this.inflated) await this.inflated.catch((error: unknown) => this.fail(error));
    if (this.failure) throw this.failure;
    const header = this.header;
    if (!header) throw new PngCheckError('no IHDR');
    if (this.inflatedBytes !== header.expectedBytes)
      throw new PngCheckError(`image data is ${this.inflatedBytes} bytes, expected ${header.expectedBytes}`);
    return { width: header.width, height: header.height };
  }

  private fail(error: unknown): void {
    this.failure ??= error instanceof PngCheckError ? error : new PngCheckError(String(error));
    this.inflate?.destroy();
  }

  private consume(input: Buffer): void {
    let bytes: Buffer = this.pending.length > 0 ? Buffer.concat([this.pending, input]) : input;
    this.pending = Buffer.alloc(0);
    if (!this.signatureSeen) {
      if (bytes.length < 8) return void (this.pending = bytes);
      if (!bytes.subarray(0, 8).equals(SIGNATURE)) throw new PngCheckError('not a PNG signature');
      this.signatureSeen = true;
      bytes = bytes.subarray(8);
    }
    while (bytes.length > 0 && !this.ended) {
      if (!this.chunk) {
        if (bytes.length < 8) return void (this.pending = bytes);
        const length = bytes.readUInt32BE(0);
        const type = bytes.toString('latin1', 4, 8);
        if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type))
          throw new PngCheckError('corrupt chunk header');
        if (!this.header && type !== 'IHDR') throw new PngCheckError('IHDR is not the first chunk');
        this.chunk = { type, length, read: 0, crc: crc32(bytes.subarray(4, 8)), parts: [] };
        bytes = bytes.subarray(8);
        continue;
      }
      const chunk = this.chunk;
      if (chunk.read < chunk.length) {
        const data = bytes.subarray(0, chunk.length - chunk.read);
        chunk.crc = crc32(data, chunk.crc);
        chunk.read += data.length;
        if (chunk.type === 'IDAT') this.inflateData(data);
        else if (chunk.type === 'IHDR') chunk.parts.push(Buffer.from(data));
        bytes = bytes.subarray(data.length);
        continue;
      }
      if (bytes.length < 4) return void (this.pending = bytes);
      if (bytes.readUInt32BE(0) !== chunk.crc >>> 0) throw new PngCheckError(`${chunk.type} fails its CRC`);
      bytes = bytes.subarray(4);
      this.chunk = null;
      this.closeChunk(chunk.type, chunk.parts);
    }
  }

  private closeChunk(type: string, parts: Buffer[]): void {
    if (type === 'IHDR') {
      if (this.header) throw new PngCheckError('a second IHDR');
      this.header = parseHeader(Buffer.concat(parts));
      this.pass = 0;
      this.rowsLeft = this.header.passes[0]?.rows ?? 0;
      this.rowLeft = 0;
    } else if (type === 'IEND') {
      this.ended = true;
      this.inflate?.end();
    }
  }

  private inflateData(data: Buffer): void {
    if (!this.inflate) {
      const inflate = createInflate();
      this.inflate = inflate;
      inflate.on('data', (out: Buffer) => this.walkScanlines(out));
      this.inflated = new Promise<void>((resolve, reject) => {
        inflate.on('end', resolve);
        inflate.on('close', resolve);
        inflate.on('error', (error) =>
          reject(new PngCheckError(`image data does not inflate: ${error.message}`)),
        );
      });
    }
    // The copy matters: the download's chunk buffer may be reused before zlib reads it.
    this.inflate.write(Buffer.from(data));
  }

  /** Counts inflated bytes and checks the filter type that starts every scanline. */
  private walkScanlines(out: Buffer): void {
    const header = this.header;
    if (!header || this.failure) return;
    this.inflatedBytes += out.length;
    if (this.inflatedBytes > header.expectedBytes) return this.fail(new PngCheckError('too much image data'));
    let offset = 0;
    while (offset < out.length) {
      if (this.rowLeft === 0) {
        while (this.rowsLeft === 0) {
          this.pass += 1;
          this.rowsLeft = header.passes[this.pass]?.rows ?? 0;
          if (this.pass >= header.passes.length) return;
        }
        if ((out[offset] ?? 0) > 4) return this.fail(new PngCheckError('invalid scanline filter type'));
        this.rowLeft = header.passes[this.pass]?.rowBytes ?? 0;
        this.rowsLeft -= 1;
      }
      const take = Math.min(this.rowLeft, out.length - offset);
      this.rowLeft -= take;
      offset += take;
    }
  }
}
