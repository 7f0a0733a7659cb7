import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { expect } from 'vitest';
import type { Stack } from './support';

/** What the drawing editor's e2e tests (annotate.e2e.ts) share: files, pointer, pixels, geometry. */
export type Rgb = [number, number, number];
export const GREY: Rgb = [128, 128, 128];
/** The palette (src/shared/domain/marks.ts). */
export const RED: Rgb = [0xe5, 0x39, 0x35];
export const GREEN: Rgb = [0x43, 0xa0, 0x47];
export const BLUE: Rgb = [0x1e, 0x88, 0xe5];

export interface TestFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export async function solidPng(
  name: string,
  width: number,
  height: number,
  [r, g, b]: Rgb,
): Promise<TestFile> {
  const buffer = await sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
  return { name, mimeType: 'image/png', buffer };
}

export const idOf = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex').slice(0, 32);

export const chips = (page: Page): Locator => page.getByTestId('reference-chip');
export const chipIds = (page: Page): Promise<string[]> =>
  chips(page).evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-reference-id') ?? ''));
export const chip = (page: Page, id: string): Locator =>
  page.locator(`[data-testid="reference-chip"][data-reference-id="${id}"]`);
export const marks = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('annotate-stage').getAttribute('data-marks'));

export async function addFiles(page: Page, files: TestFile[]): Promise<void> {
  await page.getByTestId('reference-picker').setInputFiles(files);
  await expect.poll(() => chips(page).count(), { timeout: 15_000 }).toBe(files.length);
  await expect.poll(() => page.getByTestId('reference-pending').count()).toBe(0);
}

export async function editorReady(page: Page): Promise<void> {
  await page.getByTestId('annotate-editor').waitFor();
  await page.locator('[data-testid="annotate-stage"][data-ready="true"]').waitFor();
}

/** A point of the picture (source pixels) on the screen. */
export async function onScreen(page: Page, [x, y]: [number, number]): Promise<[number, number]> {
  const box = await page.getByTestId('annotate-canvas').boundingBox();
  const scale = Number(await page.getByTestId('annotate-stage').getAttribute('data-scale'));
  if (!box || !(scale > 0)) throw new Error('the drawing area is not shown');
  return [box.x + x * scale, box.y + y * scale];
}

/** A mouse drag across the picture through `points` (source pixels), with intermediate moves. */
export async function drag(page: Page, points: [number, number][]): Promise<void> {
  const [first, ...rest] = points;
  if (!first) return;
  const start = await onScreen(page, first);
  await page.mouse.move(...start);
  await page.mouse.down();
  for (const point of rest) {
    const [x, y] = await onScreen(page, point);
    await page.mouse.move(x, y, { steps: 6 });
  }
  await page.mouse.up();
}

/** The staged file behind a reference id, as core serves it. */
export async function stagedBytes(stack: Stack, id: string): Promise<Buffer> {
  const file = await stack.harness.core.resolveGalleryFile('ref', id);
  if (!file) throw new Error(`reference ${id} is not staged`);
  await file.handle.close();
  return readFile(file.filePath);
}

export async function pixel(bytes: Buffer, x: number, y: number): Promise<Rgb> {
  const { data, info } = await sharp(bytes)
    .removeAlpha()
    .extract({ left: x, top: y, width: 1, height: 1 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return [data[0] ?? -1, data[1] ?? -1, data[2] ?? -1];
}

export function expectColour(actual: Rgb, expected: Rgb, what: string): void {
  const off = Math.max(...actual.map((value, index) => Math.abs(value - expected[index]!)));
  expect(
    off,
    `${what}: got rgb(${actual.join(', ')}), wanted rgb(${expected.join(', ')})`,
  ).toBeLessThanOrEqual(8);
}

export type Box = { x: number; y: number; width: number; height: number };
export const inside = (inner: Box, outer: Box, slack = 0.5): boolean =>
  inner.x >= outer.x - slack &&
  inner.y >= outer.y - slack &&
  inner.x + inner.width <= outer.x + outer.width + slack &&
  inner.y + inner.height <= outer.y + outer.height + slack;
export const overlap = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width - 0.5 &&
  b.x < a.x + a.width - 0.5 &&
  a.y < b.y + b.height - 0.5 &&
  b.y < a.y + a.height - 0.5;

/** The little of the page's DOM the geometry check reads (this file has no DOM types). */
export interface PageButton {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
}
export interface PageScope {
  document: {
    querySelectorAll(selector: string): Iterable<PageButton>;
    createRange(): {
      selectNodeContents(node: unknown): void;
      getClientRects(): Iterable<{ top: number; height: number }>;
    };
    createTreeWalker(root: PageButton, whatToShow: 4): { nextNode(): { textContent: string | null } | null };
    activeElement: { getAttribute(name: string): string | null } | null;
  };
}

/**
 * The editor fits the window: inside it, every control inside the dialog, no two controls on top
 * of each other, no label cut or wrapped, and a drawing area of a useful size, fully on screen.
 */
export async function checkEditorLayout(page: Page, tag: string): Promise<void> {
  const viewport = page.viewportSize();
  if (!viewport) throw new Error('no viewport');
  const screen = { x: 0, y: 0, width: viewport.width, height: viewport.height };
  const dialog = await page.getByTestId('annotate-editor').boundingBox();
  const stage = await page.getByTestId('annotate-stage').boundingBox();
  const frame = await page.getByTestId('annotate-frame').boundingBox();
  if (!dialog || !stage || !frame) throw new Error('the editor is not laid out');
  expect(inside(dialog, screen), `${tag}: the editor is inside the window`).toBe(true);
  expect(inside(stage, frame) && inside(frame, dialog), `${tag}: the picture is inside the editor`).toBe(
    true,
  );
  expect(stage.width * stage.height, `${tag}: the drawing area is big enough`).toBeGreaterThan(300 * 200);

  const buttons = page.locator('[data-testid="annotate-editor"] button');
  const boxes: { name: string; box: Box }[] = [];
  for (const button of await buttons.all()) {
    const box = await button.boundingBox();
    const name = (await button.getAttribute('data-testid')) ?? (await button.innerText());
    if (!box) throw new Error(`${tag}: ${name} is not shown`);
    expect(inside(box, dialog), `${tag}: ${name} is inside the editor`).toBe(true);
    boxes.push({ name, box });
  }
  for (const [index, a] of boxes.entries()) {
    for (const b of boxes.slice(index + 1)) {
      expect(overlap(a.box, b.box), `${tag}: ${a.name} and ${b.name} overlap`).toBe(false);
    }
  }
  const hint = await page.locator('.annotate-hint').boundingBox();
  const save = await page.getByTestId('annotate-save').boundingBox();
  if (!hint || !save) throw new Error('no footer');
  expect(overlap(hint, save), `${tag}: the hint runs under Save`).toBe(false);

  const labels = await page.evaluate(() => {
    const scope = globalThis as unknown as PageScope;
    const found: string[] = [];
    for (const button of Array.from(
      scope.document.querySelectorAll('[data-testid="annotate-editor"] button'),
    )) {
      const text = button.textContent?.trim() ?? '';
      if (text === '') continue;
      if (button.scrollWidth > button.clientWidth + 1) found.push(`“${text}” is cut`);
      const walker = scope.document.createTreeWalker(button, 4);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const range = scope.document.createRange();
        range.selectNodeContents(node);
        const lines = new Set(Array.from(range.getClientRects()).map((rect) => Math.round(rect.top)));
        if (lines.size > 1) found.push(`“${text}” wraps onto ${lines.size} lines`);
      }
    }
    return found;
  });
  expect(labels, tag).toEqual([]);
}

export const activeTestId = (page: Page): Promise<string | null> =>
  page.evaluate(
    () => (globalThis as unknown as PageScope).document.activeElement?.getAttribute('data-testid') ?? null,
  );
