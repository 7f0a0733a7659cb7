import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { promptLibraryFileSchema } from '@shared/domain/promptLibrary';
import { ARTIFACTS, launchBrowser, openApp, snap, startStack, TRANSLATIONS, type Stack } from './support';

/**
 * Prompt templates and styles: saved from the prompt box, used by typing "/" (keyboard and
 * mouse), a template's {variables} filled in a form, managed, exported and imported in Settings.
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

const WORDS = {
  en: {
    template: 'a studio photo of {product} on {surface}, soft light',
    names: ['product', 'surface'],
    values: ['a teapot', 'marble'],
    filled: 'a studio photo of a teapot on marble, soft light',
    styleName: 'Film look',
    phrase: 'shot on 35mm film, soft grain',
    base: 'a fox in the snow',
    styled: 'a fox in the snow, shot on 35mm film, soft grain',
  },
  'zh-CN': {
    template: '{产品}放在{台面}上的棚拍照片，柔光',
    names: ['产品', '台面'],
    values: ['一把茶壶', '大理石'],
    filled: '一把茶壶放在大理石上的棚拍照片，柔光',
    styleName: '胶片感',
    phrase: '胶片质感，柔和颗粒',
    base: '雪地里的狐狸',
    styled: '雪地里的狐狸，胶片质感，柔和颗粒',
  },
} as const;

const promptValue = (page: Page) => page.getByTestId('prompt-input').inputValue();

async function within(page: Page, testId: string): Promise<boolean> {
  const box = await page.getByTestId(testId).boundingBox();
  const viewport = page.viewportSize();
  return (
    box !== null &&
    viewport !== null &&
    box.x >= 0 &&
    box.y >= 0 &&
    box.x + box.width <= viewport.width &&
    box.y + box.height <= viewport.height
  );
}

describe.each(['en', 'zh-CN'] as const)('prompt templates and styles (%s)', (language) => {
  const text = TRANSLATIONS[language].promptLibrary;
  const words = WORDS[language];

  it('saves a template and a style, uses them with "/", and keeps them after a reload', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true, language } });
    stacks.push(stack);
    const { page, problems } = await openApp(browser, stack, { width: 1024, height: 768 });
    const input = page.getByTestId('prompt-input');

    // Nothing saved yet: "/" says how to save one.
    await input.fill('');
    await input.pressSequentially('/');
    expect(await page.getByTestId('slash-menu-empty').innerText()).toBe(text.menuEmpty);
    await input.press('Escape');
    await expect.poll(() => page.getByTestId('slash-menu').count()).toBe(0);
    expect(await promptValue(page)).toBe('/');

    // Save the prompt as a template: its variables are named before saving.
    await input.fill(words.template);
    await page.getByTestId('prompt-save-to-library').click();
    const dialog = page.getByTestId('library-entry-dialog');
    expect(await within(page, 'library-entry-dialog')).toBe(true);
    expect(await dialog.getByTestId('library-entry-variables').innerText()).toBe(
      text.variables.replace('{{names}}', words.names.join(text.listSeparator)),
    );
    await dialog.getByTestId('library-entry-name').fill('');
    await dialog.getByTestId('library-entry-save').click();
    expect(await dialog.getByTestId('library-entry-problem').innerText()).toBe(text.problemNoName);
    await dialog.getByTestId('library-entry-name').fill(language === 'en' ? 'Product shot' : '产品照');
    await dialog.getByTestId('library-entry-save').click();
    await expect.poll(() => dialog.count()).toBe(0);

    // And a phrase as a style, chosen with the keyboard in the same dialog.
    await input.fill(words.phrase);
    await page.getByTestId('prompt-save-to-library').click();
    await dialog.getByTestId('library-kind-style').check();
    await dialog.getByTestId('library-entry-name').fill(words.styleName);
    await dialog.getByTestId('library-entry-name').press('Enter');
    await expect.poll(() => dialog.count()).toBe(0);

    // "/" lists both; typing filters; ↓ and Enter pick; the template asks for its variables.
    await input.fill('');
    await input.pressSequentially('/');
    await expect.poll(() => page.getByTestId('slash-menu-item').count()).toBe(2);
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    await snap(page, `prompt-library-${language}-01-menu`);
    await input.press('Enter');
    const fill = page.getByTestId('template-fill');
    await fill.waitFor();
    expect(await within(page, 'template-fill')).toBe(true);
    await page.keyboard.press('Enter');
    expect(await fill.getByTestId('template-fill-problem').isVisible()).toBe(true);
    await page.keyboard.type(words.values[0]);
    await page.keyboard.press('Tab');
    await page.keyboard.type(words.values[1]);
    expect(await fill.getByTestId('template-fill-preview').innerText()).toBe(words.filled);
    await page.keyboard.press('Enter');
    await expect.poll(() => promptValue(page)).toBe(words.filled);
    await expect
      .poll(() => page.evaluate<string | null>('document.activeElement?.getAttribute("data-testid") ?? null'))
      .toBe('prompt-input');

    // A style appends its phrase where the "/word" was typed, picked with the mouse.
    await input.fill(`${words.base} `);
    await input.press('End');
    await input.pressSequentially(`/${language === 'en' ? 'film' : '胶片'}`);
    await expect.poll(() => page.getByTestId('slash-menu-item').count()).toBe(1);
    await page.getByTestId('slash-menu-item').click();
    await expect.poll(() => promptValue(page)).toBe(words.styled);
    await expect.poll(() => page.getByTestId('slash-menu').count()).toBe(0);

    // A URL's slashes open nothing.
    await input.fill('see https://kie.ai/');
    await input.press('End');
    await input.pressSequentially('x');
    expect(await page.getByTestId('slash-menu').count()).toBe(0);

    // Kept with the settings: still there after a reload.
    await page.reload();
    await page.getByTestId('app-root').waitFor();
    await page.getByTestId('prompt-input').fill('');
    await page.getByTestId('prompt-input').pressSequentially('/');
    await expect.poll(() => page.getByTestId('slash-menu-item').count()).toBe(2);
    expect(problems).toEqual([]);
  }, 60_000);

  it('Settings: edit, delete with undo, export to a file and import it back; a bad file is named', async () => {
    const stack = await startStack({
      initialSettings: {
        demoMode: true,
        language,
        promptLibrary: {
          templates: [{ id: 't1', name: 'Product shot', text: words.template }],
          styles: [{ id: 's1', name: words.styleName, phrase: words.phrase }],
        },
      },
    });
    stacks.push(stack);
    const { page, problems } = await openApp(browser, stack);
    await page.getByTestId('open-settings').click();
    await page.getByTestId('prompt-library-summary').click();
    const entries = page.getByTestId('prompt-library-entry');
    expect(await entries.count()).toBe(2);

    // Edit the style's phrase.
    await entries.nth(1).getByTestId('prompt-library-edit').click();
    const dialog = page.getByTestId('library-entry-dialog');
    await dialog.getByTestId('library-entry-text').fill(`${words.phrase}!`);
    await dialog.getByTestId('library-entry-save').click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => entries.nth(1).innerText()).toContain(`${words.phrase}!`);

    // A new template made here shows up in the list (and in the "/" menu, tested above).
    await page.getByTestId('prompt-library-new-template').click();
    await dialog.getByTestId('library-entry-name').fill('Poster');
    await dialog.getByTestId('library-entry-text').fill('a travel poster of {city}');
    expect(await dialog.getByTestId('library-entry-variables').innerText()).toBe(
      text.variables.replace('{{names}}', 'city'),
    );
    await dialog.getByTestId('library-entry-save').click();
    await expect.poll(() => entries.count()).toBe(3);
    await entries.nth(1).getByTestId('prompt-library-delete').click();
    await expect.poll(() => entries.count()).toBe(2);

    // Export: the file is a prompt list that reads back.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('prompt-library-export').click(),
    ]);
    const exported = join(ARTIFACTS, `prompt-library-${language}.json`);
    await download.saveAs(exported);
    const file = promptLibraryFileSchema.parse(JSON.parse(await readFile(exported, 'utf8')));
    expect(file.templates.map((entry) => entry.text)).toEqual([words.template]);

    // Delete, undo, delete again; importing the export brings it back without doubling the other.
    await entries.nth(0).getByTestId('prompt-library-delete').click();
    await expect.poll(() => entries.count()).toBe(1);
    await page.getByTestId('prompt-library-undo').click();
    await expect.poll(() => entries.count()).toBe(2);
    await entries.nth(0).getByTestId('prompt-library-delete').click();
    await expect.poll(() => entries.count()).toBe(1);
    await page.getByTestId('prompt-library-file').setInputFiles(exported);
    await expect
      .poll(() => page.getByTestId('prompt-library-imported').innerText())
      .toBe(text.imported.replace('{{added}}', '1').replace('{{skipped}}', '1'));
    expect(await entries.count()).toBe(2);

    // Not JSON, and JSON that is not a prompt list: each says so, and nothing changes.
    const notJson = join(ARTIFACTS, 'prompt-library-not-json.json');
    await writeFile(notJson, 'this is not json');
    await page.getByTestId('prompt-library-file').setInputFiles(notJson);
    await expect
      .poll(() => page.getByTestId('prompt-library-import-problem').innerText())
      .toBe(text.importNotJson);
    const notList = join(ARTIFACTS, 'prompt-library-not-list.json');
    await writeFile(notList, JSON.stringify({ templates: 'x' }));
    await page.getByTestId('prompt-library-file').setInputFiles(notList);
    await expect
      .poll(() => page.getByTestId('prompt-library-import-problem').innerText())
      .toBe(text.importNotLibrary);
    expect(await entries.count()).toBe(2);
    await snap(page, `prompt-library-${language}-02-settings`);
    expect(problems).toEqual([]);
  }, 60_000);
});
