import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { readMetadataFromFile } from '@core/gallery/metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  activeTestId,
  addFiles,
  BLUE,
  checkEditorLayout,
  chip,
  chipIds,
  drag,
  editorReady,
  expectColour,
  GREEN,
  GREY,
  idOf,
  marks,
  onScreen,
  pixel,
  RED,
  solidPng,
  stagedBytes,
} from './annotateSupport';
import { launchBrowser, openApp, snap, startStack, TRANSLATIONS, type Stack } from './support';

/**
 * Drawing on a reference (issue 13 §3) in Chromium: a box, an ellipse, an arrow, a brush stroke
 * and a note, with the mouse and with the keyboard only, in English and Chinese. Saving puts a
 * copy with the marks (checked pixel by pixel in the staged file) in the chip's place, the
 * prompt box offers phrases for the marks, the copy opens again as its original plus its marks,
 * and a failed save loses nothing.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
const stacks: Stack[] = [];
afterEach(async () => {
  for (const stack of stacks.splice(0)) await stack.close();
});

describe.each(['en', 'zh-CN'] as const)('drawing on a reference (%s)', (language) => {
  const text = TRANSLATIONS[language].annotate;
  const fill = (template: string, values: Record<string, string | number>): string =>
    template.replace(/{{(\w+)}}/g, (_, key: string) => String(values[key] ?? ''));
  const phrase = (kind: 'rect' | 'ellipse' | 'arrow' | 'brush', color: keyof typeof text.colors): string =>
    fill(text.phrases[kind], { color: text.colors[color] });
  const note = language === 'en' ? 'make it blue' : '换成蓝色';

  it('with the mouse: five kinds of marks, undo/redo, saved in place, phrases at the caret, opened again', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true, language } });
    stacks.push(stack);
    const { page, problems } = await openApp(browser, stack, { width: 1280, height: 800 });
    const files = await Promise.all([
      solidPng('red.png', 300, 200, RED),
      solidPng('street.png', 800, 600, GREY),
      solidPng('blue.png', 200, 300, BLUE),
    ]);
    const [redId, greyId, blueId] = files.map((file) => idOf(file.buffer));
    await addFiles(page, files);
    expect(await chipIds(page)).toEqual([redId, greyId, blueId]);

    // The button on the second chip opens it in the editor.
    await chip(page, greyId ?? '')
      .getByTestId('reference-annotate')
      .click();
    await editorReady(page);
    expect(await page.getByTestId('annotate-editor').getAttribute('data-original-id')).toBe(greyId);
    expect(await page.getByTestId('annotate-editor').locator('h2').innerText()).toBe(
      fill(text.title, { name: 'street.png' }),
    );
    await checkEditorLayout(page, `${language} 1280×800`);

    // A red box (the default tool and colour), a blue arrow, a green brush stroke, a note.
    await drag(page, [
      [100, 100],
      [300, 250],
    ]);
    await page.getByTestId('annotate-tool-arrow').click();
    await page.getByTestId('annotate-color-blue').click();
    await drag(page, [
      [600, 450],
      [380, 300],
    ]);
    await page.getByTestId('annotate-tool-brush').click();
    await page.getByTestId('annotate-color-green').click();
    await drag(page, [
      [500, 80],
      [600, 140],
      [700, 90],
    ]);
    await page.getByTestId('annotate-tool-text').click();
    await page.mouse.click(...(await onScreen(page, [420, 520])));
    await page.getByTestId('annotate-note-input').fill(note);
    await page.keyboard.press('Enter');
    await expect.poll(() => marks(page)).toBe(4);
    // An ellipse, then undone and redone with the buttons.
    await page.getByTestId('annotate-tool-ellipse').click();
    await page.getByTestId('annotate-color-red').click();
    await drag(page, [
      [50, 400],
      [250, 560],
    ]);
    await expect.poll(() => marks(page)).toBe(5);
    await page.getByTestId('annotate-undo').click();
    await expect.poll(() => marks(page)).toBe(4);
    await page.getByTestId('annotate-redo').click();
    await expect.poll(() => marks(page)).toBe(5);
    // Select: a click on the box's edge picks it; purple recolours it, Delete removes it; both undo.
    const stage = page.getByTestId('annotate-stage');
    await page.getByTestId('annotate-tool-select').click();
    await page.mouse.click(...(await onScreen(page, [100, 200])));
    expect(await stage.getAttribute('data-selected')).toBe('0');
    await page.getByTestId('annotate-color-purple').click();
    await page.getByTestId('annotate-delete').click();
    expect(await marks(page)).toBe(4);
    await page.getByTestId('annotate-undo').click();
    await page.getByTestId('annotate-undo').click();
    expect(await marks(page)).toBe(5);
    // A click on nothing selects nothing.
    await page.mouse.click(...(await onScreen(page, [760, 20])));
    expect(await stage.getAttribute('data-selected')).toBe('');
    await snap(page, `annotate-${language}-01-mouse`);

    await page.getByTestId('annotate-save').click();
    await page.getByTestId('annotate-editor').waitFor({ state: 'detached' });

    // The copy took the chip's place; the others did not move.
    const after = await chipIds(page);
    expect(after).toHaveLength(3);
    expect([after[0], after[2]]).toEqual([redId, blueId]);
    const copyId = after[1] ?? '';
    expect(copyId).not.toBe(greyId);
    expect(await chip(page, copyId).getByTestId('reference-annotate').getAttribute('data-annotated')).toBe(
      'true',
    );

    // The staged copy carries the marks at full size; the original file is untouched.
    const copy = await stagedBytes(stack, copyId);
    expect(await sharp(copy).metadata()).toMatchObject({ width: 800, height: 600, format: 'png' });
    expectColour(await pixel(copy, 100, 175), RED, 'the box’s left edge');
    expectColour(await pixel(copy, 200, 175), GREY, 'inside the box');
    expectColour(await pixel(copy, 490, 375), BLUE, 'the arrow’s shaft');
    expectColour(await pixel(copy, 500, 80), GREEN, 'the brush stroke’s start');
    expectColour(await pixel(copy, 50, 480), RED, 'the ellipse’s left side');
    expectColour(await pixel(copy, 760, 20), GREY, 'an unmarked corner');
    expect((await stagedBytes(stack, greyId ?? '')).equals(files[1]?.buffer ?? Buffer.alloc(0))).toBe(true);

    // The prompt box offers phrases for the marks; with three images, it says which one.
    const inImage = (words: string) => fill(text.phrases.inImage, { phrase: words, number: 2 });
    const offered = await page.getByTestId('mark-phrase').allInnerTexts();
    expect(offered).toEqual([
      inImage(phrase('rect', 'red')),
      inImage(phrase('arrow', 'blue')),
      inImage(phrase('brush', 'green')),
      inImage(fill(text.phrases.text, { text: note })),
      inImage(phrase('ellipse', 'red')),
    ]);
    // Clicked, a phrase goes in at the caret (spaced as the language writes).
    const prompt = page.getByTestId('prompt-input');
    const [before, rest] = language === 'en' ? ['Paint it gold ', ', keep the rest'] : ['把', '涂成金色'];
    await prompt.fill(before + rest);
    await prompt.evaluate(
      (box, at) =>
        (box as unknown as { setSelectionRange(a: number, b: number): void }).setSelectionRange(at, at),
      before.length,
    );
    await page.getByTestId('mark-phrase').first().click();
    expect(await prompt.inputValue()).toBe(before + inImage(phrase('rect', 'red')) + rest);
    await expect.poll(() => activeTestId(page)).toBe('prompt-input');
    // The caret is right after the phrase: typing goes on from there.
    await page.keyboard.type(language === 'en' ? ' now' : '并');
    expect(await prompt.inputValue()).toBe(
      before + inImage(phrase('rect', 'red')) + (language === 'en' ? ' now' : '并') + rest,
    );
    await snap(page, `annotate-${language}-02-phrases`);

    // The copy opens again as its original plus its marks; nothing changed, so Esc just closes.
    await chip(page, copyId).getByTestId('reference-annotate').click();
    await editorReady(page);
    expect(await page.getByTestId('annotate-editor').getAttribute('data-original-id')).toBe(greyId);
    expect(await marks(page)).toBe(5);
    await page.keyboard.press('Escape');
    await page.getByTestId('annotate-editor').waitFor({ state: 'detached' });
    expect(await chipIds(page)).toEqual(after);

    // "Hide" puts the phrases away.
    await page.getByTestId('mark-phrases-hide').click();
    await page.getByTestId('mark-phrases').waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
  });

  it('with the keyboard only: open from the chip, tool keys, undo/redo, Delete, Esc asks, Ctrl+S saves', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true, language } });
    stacks.push(stack);
    const { page, problems } = await openApp(browser, stack, { width: 1024, height: 768 });
    const file = await solidPng('yard.png', 640, 480, GREY);
    await addFiles(page, [file]);
    const originalId = idOf(file.buffer);

    // Tab from the chip reaches its remove button, then its draw button; Enter opens the editor.
    await chip(page, originalId).focus();
    await page.keyboard.press('Tab');
    expect(await activeTestId(page)).toBe('reference-remove');
    await page.keyboard.press('Tab');
    expect(await activeTestId(page)).toBe('reference-annotate');
    await page.keyboard.press('Enter');
    await editorReady(page);
    await checkEditorLayout(page, `${language} 1024×768`);
    // The picture has the focus: drawing starts at once.
    await expect.poll(() => activeTestId(page)).toBe('annotate-stage');
    const press = async (key: string, times = 1) => {
      for (let i = 0; i < times; i += 1) await page.keyboard.press(key);
    };

    // Steps: 1% of 640 = 6 px, 5% with Shift = 32 px. The cursor starts at the centre (320, 240).
    await press('r');
    await press('Enter');
    await press('Shift+ArrowRight', 2);
    await press('Shift+ArrowDown', 2);
    await press('Enter');
    expect(await marks(page)).toBe(1); // box (320, 240)–(384, 304)
    await press('o');
    await press('4');
    await press('Shift+ArrowLeft', 4); // (256, 304)
    await press('Enter');
    await press('Shift+ArrowUp', 3);
    await press('Shift+ArrowLeft', 2);
    await press('Enter');
    expect(await marks(page)).toBe(2); // ellipse (256, 304)–(192, 208), green
    await press('a');
    await press('5');
    await press('Enter');
    await press('Shift+ArrowDown', 4);
    await press('Enter');
    expect(await marks(page)).toBe(3); // arrow (192, 208)→(192, 336), blue
    await press('b');
    await press('Enter');
    await press('ArrowRight', 5);
    await press('Enter');
    expect(await marks(page)).toBe(4); // brush (192, 336)→(222, 336)
    await press('t');
    await press('Enter');
    await page.getByTestId('annotate-note-input').waitFor();
    await page.keyboard.type('here');
    await press('Enter');
    expect(await marks(page)).toBe(5);
    await expect.poll(() => activeTestId(page)).toBe('annotate-stage');

    await press('Control+z');
    expect(await marks(page)).toBe(4);
    await press('Control+Shift+Z');
    expect(await marks(page)).toBe(5);
    await press('Delete');
    expect(await marks(page)).toBe(4);
    await press('Control+z');
    expect(await marks(page)).toBe(5);
    expect(await page.getByTestId('annotate-count').textContent()).toBe(fill(text.count, { count: 5 }));

    // V, the cursor onto the arrow's shaft (192, 300), Enter: the arrow is selected; 6 makes it
    // purple and Delete removes it, not the last mark. Both undo.
    const stage = page.getByTestId('annotate-stage');
    await press('v');
    await press('ArrowLeft', 5);
    await press('ArrowUp', 6);
    await press('Enter');
    expect(await stage.getAttribute('data-selected')).toBe('2');
    await press('6');
    await press('Delete');
    expect(await marks(page)).toBe(4);
    await press('Control+z');
    await press('Control+z');
    expect(await marks(page)).toBe(5);
    expect(await stage.getAttribute('data-selected')).toBe('');

    // Tab and Shift+Tab go round the editor's controls and never leave it; back to the picture.
    const inEditor = () =>
      page.evaluate(() => {
        const scope = globalThis as unknown as {
          document: { activeElement: { closest(selector: string): unknown } | null };
        };
        return scope.document.activeElement?.closest('[data-testid="annotate-editor"]') != null;
      });
    const stops = await page.locator('[data-testid="annotate-editor"] button:not([disabled])').count();
    for (let i = 0; i <= stops + 1; i += 1) {
      await press('Tab');
      expect(await inEditor()).toBe(true);
    }
    await press('Shift+Tab');
    expect(await inEditor()).toBe(true);
    await page.getByTestId('annotate-stage').focus();

    // Esc drops a mark in progress, and only that.
    await press('r');
    await press('Enter');
    await press('ArrowRight', 3);
    expect(await page.getByTestId('annotate-stage').getAttribute('data-drafting')).toBe('true');
    await press('Escape');
    expect(await page.getByTestId('annotate-stage').getAttribute('data-drafting')).toBe('false');
    expect(await marks(page)).toBe(5);

    // Esc with unsaved marks asks first; "Keep drawing" has the focus, and Esc keeps drawing.
    await press('Escape');
    const question = page.getByTestId('annotate-discard');
    await question.waitFor();
    expect(await question.getAttribute('role')).toBe('alertdialog');
    expect(await question.locator('h2').innerText()).toBe(text.discard.title);
    await expect.poll(() => activeTestId(page)).toBe('annotate-keep');
    await snap(page, `annotate-${language}-03-discard`);
    await press('Escape');
    await question.waitFor({ state: 'detached' });
    expect(await marks(page)).toBe(5);

    // "?" lists the editor's keys over it; Esc closes the list, not the editor.
    await press('?');
    const sheet = page.getByTestId('shortcuts-sheet');
    await sheet.waitFor();
    // textContent: the group headings are upper-cased by CSS.
    expect(await sheet.textContent()).toContain(TRANSLATIONS[language].shortcuts.groups.annotate);
    expect(await sheet.textContent()).toContain(TRANSLATIONS[language].shortcuts.actions.annotateMark);
    await press('Escape');
    await sheet.waitFor({ state: 'detached' });
    expect(await page.getByTestId('annotate-editor').isVisible()).toBe(true);
    expect(await marks(page)).toBe(5);

    // Ctrl+S while a box is still being drawn keeps it; so does one while a note is typed.
    await press('r');
    await press('1');
    await press('Enter');
    await press('Shift+ArrowLeft', 2);
    await press('Shift+ArrowUp', 2);
    await press('Control+s');
    await page.getByTestId('annotate-editor').waitFor({ state: 'detached' });
    const [copyId = ''] = await chipIds(page);
    expect(copyId).not.toBe(originalId);
    // The focus is back on the (new) chip's draw button.
    await expect.poll(() => activeTestId(page)).toBe('reference-annotate');
    const copy = await stagedBytes(stack, copyId);
    expectColour(await pixel(copy, 320, 272), RED, 'the box’s left edge');
    expectColour(await pixel(copy, 352, 272), GREY, 'inside the box');
    expectColour(await pixel(copy, 192, 320), BLUE, 'the arrow’s shaft');
    expectColour(await pixel(copy, 256, 256), GREEN, 'the ellipse’s right side');
    expectColour(await pixel(copy, 224, 256), GREY, 'the ellipse’s middle');
    expect(await page.getByTestId('mark-phrase').allInnerTexts()).toEqual([
      phrase('rect', 'red'),
      phrase('ellipse', 'green'),
      phrase('arrow', 'blue'),
      phrase('brush', 'blue'),
      fill(text.phrases.text, { text: 'here' }),
    ]);

    // Opened again from the keyboard, a change, then Esc → Discard: the tray keeps the copy.
    await press('Enter');
    await editorReady(page);
    expect(await marks(page)).toBe(6);
    await press('Delete');
    expect(await marks(page)).toBe(5);
    await press('Escape');
    await question.waitFor();
    await press('Tab');
    expect(await activeTestId(page)).toBe('annotate-discard-ok');
    await press('Enter');
    await page.getByTestId('annotate-editor').waitFor({ state: 'detached' });
    expect(await chipIds(page)).toEqual([copyId]);
    expect(problems).toEqual([]);
  });

  it('a save that fails says why, keeps every mark and leaves the tray as it was', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true, language } });
    stacks.push(stack);
    const { page, problems } = await openApp(browser, stack, { width: 1280, height: 800 });
    const file = await solidPng('field.png', 400, 300, GREY);
    await addFiles(page, [file]);
    const originalId = idOf(file.buffer);
    await chip(page, originalId).getByTestId('reference-annotate').click();
    await editorReady(page);
    await drag(page, [
      [50, 50],
      [200, 150],
    ]);
    expect(await marks(page)).toBe(1);

    // The staged file is gone from disk (a cleaned data folder): core cannot draw on it.
    const staged = join(
      stack.harness.dataDir,
      'staging',
      `${createHash('sha256').update(file.buffer).digest('hex')}.png`,
    );
    await rm(staged);
    await page.getByTestId('annotate-save').click();
    const error = page.getByTestId('annotate-save-error');
    await error.waitFor();
    expect(await error.innerText()).toBe(fill(text.errors.missing, { name: 'field.png' }));
    expect(await marks(page)).toBe(1);
    expect(await page.getByTestId('annotate-editor').isVisible()).toBe(true);
    expect(
      stack.harness.logs.entries.some((entry) => entry.message === 'Could not save the marks on a reference'),
    ).toBe(true);
    await snap(page, `annotate-${language}-04-save-failed`);

    // Leaving asks (the marks are unsaved); after Discard the tray still holds the original.
    await page.getByTestId('annotate-cancel').click();
    await page.getByTestId('annotate-discard-ok').click();
    await page.getByTestId('annotate-editor').waitFor({ state: 'detached' });
    expect(await chipIds(page)).toEqual([originalId]);
    expect(problems).toEqual([]);
  });
});

describe('lineage of a result made from a marked reference (Chromium)', () => {
  it('the result is made from the marked copy, whose original is the library image (its parent)', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true } });
    stacks.push(stack);
    const { page, problems } = await openApp(browser, stack, { width: 1280, height: 800 });
    await page.getByTestId('prompt-input').fill('a lighthouse at dawn');
    await page.getByTestId('submit-button').click();
    const tile = page.getByTestId('gallery-item').first();
    await tile.waitFor({ timeout: 30_000 });
    const source = (await tile.getAttribute('data-image-id')) ?? '';

    // The tile dragged into the window, as the browser does it: staged from the library.
    const transfer = await page.evaluateHandle('new DataTransfer()');
    await tile.dispatchEvent('dragstart', { dataTransfer: transfer });
    for (const type of ['dragenter', 'dragover', 'drop']) {
      await page.evaluate(
        ({ transfer, type }) => {
          const scope = globalThis as unknown as {
            dispatchEvent(event: unknown): boolean;
            DragEvent: new (type: string, init: object) => unknown;
          };
          scope.dispatchEvent(
            new scope.DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
          );
        },
        { transfer, type },
      );
    }
    await page.locator(`[data-testid="reference-chip"][data-image-id="${source}"]`).waitFor();
    const [fromLibrary = ''] = await chipIds(page);

    await chip(page, fromLibrary).getByTestId('reference-annotate').click();
    await editorReady(page);
    const width = Number(await page.getByTestId('annotate-stage').getAttribute('data-picture-width'));
    const height = Number(await page.getByTestId('annotate-stage').getAttribute('data-picture-height'));
    await drag(page, [
      [width * 0.2, height * 0.2],
      [width * 0.6, height * 0.5],
    ]);
    // A note still being typed when Ctrl+S is pressed is placed and saved with the box.
    await page.getByTestId('annotate-tool-text').click();
    await page.mouse.click(...(await onScreen(page, [width * 0.2, height * 0.6])));
    await page.getByTestId('annotate-note-input').fill('glow here');
    await page.keyboard.press('Control+s');
    await page.getByTestId('annotate-editor').waitFor({ state: 'detached' });
    expect(await page.getByTestId('mark-phrase').allInnerTexts()).toEqual([
      'inside the red box',
      'following the note “glow here”',
    ]);
    const [copyId = ''] = await chipIds(page);
    expect(copyId).not.toBe(fromLibrary);
    // The copy is a file of its own: its chip shows it, not the library image's thumbnail.
    expect(await chip(page, copyId).locator('img').getAttribute('src')).toContain(copyId);

    await page.getByTestId('prompt-input').fill('make the part in the red box glow');
    await page.getByTestId('submit-button').click();
    await expect.poll(() => page.getByTestId('gallery-item').count(), { timeout: 30_000 }).toBe(2);
    const result = (await page.getByTestId('gallery-item').first().getAttribute('data-image-id')) ?? '';
    await page.locator(`[data-testid="gallery-item"][data-image-id="${result}"]`).dblclick();
    await page.getByTestId('viewer-lineage').waitFor();
    // Made from the marked copy…
    await expect
      .poll(() =>
        page
          .locator('[data-testid="lineage-reference"] img')
          .evaluateAll((images) => images.map((image) => image.getAttribute('src') ?? '').join(' ')),
      )
      .toContain(copyId);
    // …whose original, the library image, is the result's parent.
    await page.locator(`[data-testid="lineage-reference"][data-image-id="${source}"]`).waitFor();
    await snap(page, 'annotate-05-lineage');

    // The result's file names both, so a rebuilt library knows it too.
    const file = await stack.harness.core.resolveGalleryFile('image', result);
    await file?.handle.close();
    const meta = await readMetadataFromFile(file?.filePath ?? '');
    expect(meta?.parents).toEqual([source]);
    expect(meta?.references).toEqual([
      {
        id: copyId,
        sha256: createHash('sha256')
          .update(await stagedBytes(stack, copyId))
          .digest('hex'),
        drawnOn: {
          id: fromLibrary,
          sha256: createHash('sha256')
            .update(await stagedBytes(stack, fromLibrary))
            .digest('hex'),
        },
      },
    ]);
    expect(problems).toEqual([]);
  });
});
