import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startKieSimulator, type KieSimulator } from '@core/kie/simulator';
import en from '@shared/i18n/en.json';
import zhCN from '@shared/i18n/zh-CN.json';
import { startHarness, type Harness, type HarnessOptions } from '../../src/harness/server';

export const ROOT = resolve(import.meta.dirname, '../..');
export const RENDERER_DIR = join(ROOT, 'out/renderer');
export const ARTIFACTS = join(ROOT, 'test-results/e2e');

/** The UI's strings per language, so a test can expect the words a user reads in each. */
export const TRANSLATIONS: Record<'en' | 'zh-CN', typeof en> = { en, 'zh-CN': zhCN };

/** Debian's Chromium (Playwright's own browser download cannot work on this machine). */
export function chromiumPath(): string {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((path): path is string => !!path && existsSync(path));
  if (!found)
    throw new Error('Chromium not found: install the Debian package `chromium` or set CHROMIUM_PATH.');
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error('out/renderer is missing: run `npm run build` before the e2e suite.');
  }
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface Stack {
  harness: Harness;
  /** Plays KIE for "real key" requests (its base URLs are written into the settings). */
  kie: KieSimulator;
  /** Backs Demo mode. */
  demo: KieSimulator;
  close(): Promise<void>;
}

const FAST = { waitingMs: 300, queuingMs: 300, generatingMs: 600 };

/** The real core behind the web harness, with two simulators: one as KIE, one for Demo mode. */
export async function startStack(options: Partial<HarnessOptions> = {}): Promise<Stack> {
  const kie = await startKieSimulator({ timings: FAST });
  const demo = await startKieSimulator({ timings: FAST });
  const harness = await startHarness({
    rendererDir: RENDERER_DIR,
    quiet: true,
    removeDataOnClose: true,
    demoKie: { apiBaseUrl: demo.apiBaseUrl, uploadBaseUrl: demo.uploadBaseUrl, apiKey: demo.apiKey },
    core: { poll: { initialMs: 250, maxMs: 1_000 } },
    ...options,
    initialSettings: {
      kieApiBaseUrl: kie.apiBaseUrl,
      kieUploadBaseUrl: kie.uploadBaseUrl,
      language: 'en',
      ...options.initialSettings,
    },
  });
  return {
    harness,
    kie,
    demo,
    async close() {
      await harness.close();
      await Promise.all([kie.close(), demo.close()]);
    },
  };
}

/** Saves a named screenshot of the current step under test-results/e2e/. */
export async function snap(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

/** Collects page errors and console errors so a test can assert there were none. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return problems;
}

export interface OpenAppOptions {
  /** Window width (default 1280). */
  width?: number;
  /** Window height (default 800). */
  height?: number;
  colorScheme?: 'light' | 'dark';
  permissions?: string[];
}

/** The app in a fresh browser context, loaded, with console problems collected. */
export async function openApp(
  browser: Browser,
  stack: Stack,
  options: OpenAppOptions = {},
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'light',
    permissions: options.permissions ?? [],
  });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto(stack.harness.url);
  await page.getByTestId('app-root').waitFor();
  return { context, page, problems };
}
