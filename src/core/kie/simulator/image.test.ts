import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputSize, renderImage } from './image';
import { startKieSimulator, type KieSimulator } from './index';
import { call, createTask, FAST, pollUntilDone, resultUrls, textTask } from './testHelpers';

let sim: KieSimulator;
beforeAll(async () => {
  sim = await startKieSimulator({ timings: FAST, maxImageSide: 256 });
});
afterAll(async () => {
  await sim.close();
});

async function generate(body: unknown): Promise<{ bytes: Buffer; contentType: string | null; url: string }> {
  const taskId = await createTask(sim, body);
  const [url] = resultUrls((await pollUntilDone(sim, taskId)).data);
  if (!url) throw new Error('no result url');
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(Number(response.headers.get('content-length'))).toBe(bytes.byteLength);
  return { bytes, contentType: response.headers.get('content-type'), url };
}

async function upload(bytes: Buffer, fileName: string): Promise<string> {
  const result = await call(sim, 'POST', '/api/file-base64-upload', {
    base64Data: `data:image/png;base64,${bytes.toString('base64')}`,
    uploadPath: 'banana-studio/refs',
    fileName,
  });
  return (result.json['data'] as { downloadUrl: string }).downloadUrl;
}

const solid = (width: number, height: number, background: string) =>
  sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();

/** Mean absolute difference per channel, 0–255. */
async function difference(a: Buffer, b: Buffer): Promise<number> {
  const [left, right] = await Promise.all(
    [a, b].map((bytes) => sharp(bytes).resize(32, 32, { fit: 'fill' }).removeAlpha().raw().toBuffer()),
  );
  let sum = 0;
  for (let index = 0; index < (left?.length ?? 0); index += 1)
    sum += Math.abs((left?.[index] ?? 0) - (right?.[index] ?? 0));
  return sum / (left?.length ?? 1);
}

describe('outputSize', () => {
  it.each<[Parameters<typeof outputSize>, { width: number; height: number }]>([
    [['1:1', null, 1024, null], { width: 1024, height: 1024 }],
    [['16:9', null, 1024, null], { width: 1024, height: 576 }],
    [['9:16', '1K', 512, null], { width: 288, height: 512 }],
    [['21:9', '4K', 2048, null], { width: 2048, height: 878 }],
    [['auto', null, 400, null], { width: 400, height: 400 }],
    [['auto', null, 400, 0.5], { width: 200, height: 400 }],
    [['4:3', '2K', 10_000, null], { width: 2048, height: 1536 }],
  ])('%j → %j', (args, size) => {
    expect(outputSize(...args)).toEqual(size);
  });
});

describe('generated images', () => {
  it.each<[string, Record<string, unknown>, string, number]>([
    ['png 16:9', textTask('a banana on the moon', { aspect_ratio: '16:9' }), 'png', 16 / 9],
    [
      'jpeg 3:4',
      textTask('a banana on the moon', { aspect_ratio: '3:4', output_format: 'jpeg' }),
      'jpeg',
      3 / 4,
    ],
    ['auto → square', textTask('auto', { aspect_ratio: 'auto' }), 'png', 1],
    [
      'pro jpg 21:9',
      { model: 'nano-banana-pro', input: { prompt: 'x', aspect_ratio: '21:9', output_format: 'jpg' } },
      'jpeg',
      21 / 9,
    ],
    // KIE's page for Nano Banana 2 defaults to jpg and auto (square without references).
    ['nano-banana-2 default', { model: 'nano-banana-2', input: { prompt: 'y' } }, 'jpeg', 1],
  ])('%s decodes at the right ratio and format', async (_name, body, format, ratio) => {
    const { bytes, contentType, url } = await generate(body);
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe(format);
    expect(contentType).toBe(`image/${format}`);
    expect(url.endsWith(format === 'png' ? '.png' : '.jpg')).toBe(true);
    expect(Math.max(meta.width, meta.height)).toBe(256);
    expect(meta.width / meta.height).toBeCloseTo(ratio, 1);
    await sharp(bytes, { failOn: 'truncated' }).stats();
  });

  it('differs, visibly and byte-wise, for different prompts, and for each task of one prompt', async () => {
    const [a, b, again] = await Promise.all([
      generate(textTask('a red fox in snow')),
      generate(textTask('a blue whale at dusk')),
      generate(textTask('a red fox in snow')),
    ]);
    expect(a.bytes.equals(b.bytes)).toBe(false);
    expect(await difference(a.bytes, b.bytes)).toBeGreaterThan(10);
    // As the real model: asked again, the same prompt gives another picture.
    expect(a.bytes.equals(again.bytes)).toBe(false);
    expect(await difference(a.bytes, again.bytes)).toBeGreaterThan(3);
  });

  it('renders a task the same way every time (a restart re-renders it identically)', async () => {
    const request = {
      prompt: 'a red fox in snow',
      width: 64,
      height: 64,
      format: 'png' as const,
      references: [],
    };
    const [first, second] = await Promise.all([
      renderImage({ ...request, variation: 'task-1' }),
      renderImage({ ...request, variation: 'task-1' }),
    ]);
    expect(first.equals(second)).toBe(true);
  });
});

describe('edits from references', () => {
  it('composes the result from the fetched references, so different refs give different results', async () => {
    const [red, green] = await Promise.all([solid(120, 60, '#e02020'), solid(120, 60, '#20e020')]);
    const [redUrl, greenUrl] = await Promise.all([upload(red, 'red.png'), upload(green, 'green.png')]);
    const edit = (url: string) => ({
      model: 'google/nano-banana-edit',
      input: { prompt: 'same prompt', image_urls: [url], aspect_ratio: 'auto' },
    });
    const [fromRed, fromGreen] = await Promise.all([generate(edit(redUrl)), generate(edit(greenUrl))]);
    expect(await difference(fromRed.bytes, fromGreen.bytes)).toBeGreaterThan(30);
    const stats = await sharp(fromRed.bytes).stats();
    expect(stats.channels[0]?.mean ?? 0).toBeGreaterThan(stats.channels[1]?.mean ?? 0);
    // auto takes the first reference's 2:1 ratio.
    const meta = await sharp(fromRed.bytes).metadata();
    expect(meta.width / meta.height).toBeCloseTo(2, 1);
    // The references were fetched over HTTP, like KIE does.
    expect(
      sim.requests.filter((entry) => entry.method === 'GET' && entry.path.startsWith('/files/')).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('pro with several image_input tiles them all', async () => {
    const refs = await Promise.all(['#ff0000', '#00ff00', '#0000ff'].map((colour) => solid(64, 64, colour)));
    const urls = await Promise.all(refs.map((bytes, index) => upload(bytes, `tile-${index}.png`)));
    const three = await generate({ model: 'nano-banana-pro', input: { prompt: 'p', image_input: urls } });
    const one = await generate({
      model: 'nano-banana-pro',
      input: { prompt: 'p', image_input: urls.slice(0, 1) },
    });
    expect(await difference(three.bytes, one.bytes)).toBeGreaterThan(20);
  });
});

/** The picture's pixels at `side`×`side`, nearest neighbour (no blending across edges). */
async function pixels(bytes: Buffer, side: number): Promise<Buffer> {
  return sharp(bytes).resize(side, side, { fit: 'fill', kernel: 'nearest' }).removeAlpha().raw().toBuffer();
}

/** Pixels of a region (fractions of the picture) that every channel puts above `min`. */
async function brightIn(
  bytes: Buffer,
  region: { left: number; top: number; width: number; height: number },
  min = 235,
): Promise<number> {
  const meta = await sharp(bytes).metadata();
  const data = await sharp(bytes)
    .extract({
      left: Math.round(region.left * meta.width),
      top: Math.round(region.top * meta.height),
      width: Math.round(region.width * meta.width),
      height: Math.round(region.height * meta.height),
    })
    .removeAlpha()
    .raw()
    .toBuffer();
  let count = 0;
  for (let index = 0; index + 2 < data.length; index += 3)
    if ((data[index] ?? 0) > min && (data[index + 1] ?? 0) > min && (data[index + 2] ?? 0) > min) count += 1;
  return count;
}

describe('Demo pictures look like pictures, not test patterns', () => {
  const picture = (prompt: string, references: Buffer[] = [], width = 512, height = 512) =>
    renderImage({ prompt, width, height, format: 'png', references, variation: 'task-1' });

  it("carries the prompt's words (white, bottom left) and a DEMO mark (top right)", async () => {
    const bytes = await picture('a red fox in snow at dusk');
    // The caption band and the mark: white text on a darkened ground.
    expect(await brightIn(bytes, { left: 0.04, top: 0.78, width: 0.6, height: 0.2 })).toBeGreaterThan(150);
    expect(await brightIn(bytes, { left: 0.6, top: 0, width: 0.4, height: 0.12 })).toBeGreaterThan(40);
    // No words in the caption band without a prompt to draw.
    expect(await brightIn(await picture(' '), { left: 0.04, top: 0.78, width: 0.6, height: 0.2 })).toBe(0);
  });

  it('draws any prompt: markup, control characters, Chinese and emoji', async () => {
    for (const prompt of [
      '</text><svg onload=x>&amp;"\'',
      'a\u0001b\u0000c\uD800',
      '黎明时的灯塔 lighthouse',
      '🍌 banana',
    ]) {
      const meta = await sharp(await picture(prompt, [], 320, 240)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 320, 240]);
    }
  });

  it('an edit shows every reference untinted, each its own print', async () => {
    const colours = [
      [224, 32, 32],
      [32, 96, 224],
      [32, 200, 96],
    ] as const;
    const refs = await Promise.all(
      colours.map(([r, g, b], index) => solid(200 + index * 40, 150, `rgb(${r},${g},${b})`)),
    );
    const data = await pixels(await picture('put them together', refs, 640, 480), 48);
    for (const [r, g, b] of colours) {
      let found = 0;
      for (let index = 0; index + 2 < data.length; index += 3) {
        const near =
          Math.abs((data[index] ?? 0) - r) <= 4 &&
          Math.abs((data[index + 1] ?? 0) - g) <= 4 &&
          Math.abs((data[index + 2] ?? 0) - b) <= 4;
        if (near) found += 1;
      }
      // Each reference covers a good part of the picture (48×48 samples), in its own colour.
      expect(found, `rgb(${r},${g},${b})`).toBeGreaterThan(150);
    }
  });
});

describe('grain', () => {
  it('gives camera-like file sizes that still decode at the requested size', async () => {
    const plain = await renderImage({
      prompt: 'grain',
      width: 512,
      height: 512,
      format: 'png',
      references: [],
    });
    const grainy = await renderImage({
      prompt: 'grain',
      width: 512,
      height: 512,
      format: 'png',
      references: [],
      grain: 24,
    });
    // A photo's PNG holds about 3 bytes a pixel; a smooth gradient scene far fewer.
    expect(grainy.length / (512 * 512)).toBeGreaterThan(2);
    expect(grainy.length).toBeGreaterThan(plain.length * 3);
    const meta = await sharp(grainy).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 512, 512]);
  });
});
