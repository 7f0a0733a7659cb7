import type { Locator, Page } from 'playwright-core';

/**
 * Geometry checks for e2e steps, in the style of layout.e2e.ts: controls inside the window, not
 * on top of each other, and labels neither cut nor broken over two lines.
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element has no box (hidden or detached)');
  return box;
}

/** Whether the element has the keyboard focus. */
export async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate(
    (node) =>
      (node as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === node,
  );
}

export function overlaps(a: Box, b: Box): boolean {
  return (
    a.x < b.x + b.width - 0.5 &&
    b.x < a.x + a.width - 0.5 &&
    a.y < b.y + b.height - 0.5 &&
    b.y < a.y + a.height - 0.5
  );
}

/**
 * What is wrong with the visible buttons and labelled controls inside `scope`. `vertical: false`
 * for a scrolling panel, whose controls below the fold are fine.
 */
export async function layoutProblems(
  page: Page,
  scope: string,
  options: { vertical?: boolean } = {},
): Promise<string[]> {
  const vertical = options.vertical ?? true;
  return page.evaluate(`(() => {
    const vertical = ${JSON.stringify(vertical)};
    const found = [];
    const root = document.querySelector(${JSON.stringify(scope)});
    if (!root) return ['no ' + ${JSON.stringify(scope)}];
    const controls = Array.from(root.querySelectorAll('button, [role="slider"], select, label, h2'));
    const boxes = [];
    for (const element of controls) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const name = element.dataset.testid || (element.textContent || '').trim().slice(0, 30) || element.tagName;
      const style = getComputedStyle(element);
      if (box.left < -1 || box.right > innerWidth + 1 || (vertical && (box.top < -1 || box.bottom > innerHeight + 1)))
        found.push(name + ' is outside the window');
      if (style.textOverflow !== 'ellipsis' && element.scrollWidth - element.clientWidth > 1)
        found.push(name + ' overflows by ' + (element.scrollWidth - element.clientWidth) + 'px');
      if (element.tagName === 'BUTTON') {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if ((node.textContent || '').trim() === '') continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          const lines = new Set(Array.from(range.getClientRects()).filter((r) => r.height > 0).map((r) => Math.round(r.top)));
          if (lines.size > 1) found.push(name + ' wraps onto ' + lines.size + ' lines');
        }
        boxes.push({ name, box });
      }
    }
    for (let i = 0; i < boxes.length; i += 1)
      for (let j = i + 1; j < boxes.length; j += 1) {
        const a = boxes[i].box, b = boxes[j].box;
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
          found.push(boxes[i].name + ' overlaps ' + boxes[j].name);
      }
    return found;
  })()`);
}
