import { beforeEach, describe, expect, it } from 'vitest';
import type { Mark } from '@shared/domain/marks';
import type { StagedReference } from '@shared/domain/reference';
import type { RouteInput } from '@shared/ipc/contract';
import type { WireError } from '@shared/ipc/result';
import { setApi, type Api } from '../ipc/api';
import { isDirty, useAnnotate } from './annotate';
import { useCompose } from './compose';

/**
 * The editor's store against a stand-in for core (core's side is tested with the real core in
 * src/core/references/annotate.test.ts and through the browser in tests/e2e/annotate.e2e.ts):
 * a save replaces the chip in place, a failed one keeps the marks and the tray, and a marked
 * copy opens as its original with its marks.
 */
const reference = (id: string, extra: Partial<StagedReference> = {}): StagedReference => ({
  id: id.padEnd(32, '0'),
  name: `${id}.png`,
  format: 'png',
  width: 40,
  height: 30,
  bytes: 100,
  frames: 1,
  url: `/gallery/ref/${id}`,
  thumbUrl: `/gallery/ref/${id}`,
  galleryImageId: null,
  ...extra,
});
const [a, b, c] = [reference('a'), reference('b'), reference('c')] as const;
const copy = reference('d', { annotatedFrom: b.id });
const box: Mark = { kind: 'rect', color: 'red', width: 2, from: [1, 1], to: [20, 20] };
const picture = { width: 40, height: 30 };

let answer: { ok: true; value: unknown } | { ok: false; error: WireError };
const sent: { route: string; input: unknown }[] = [];

beforeEach(() => {
  sent.length = 0;
  const api: Api = {
    async request(route, input) {
      sent.push({ route, input });
      return answer as never;
    },
    on: () => () => undefined,
  };
  setApi(api);
  useCompose.setState({ references: [a, b, c], pending: [] });
  useAnnotate.setState({ session: null, savedMarks: {}, phrasesHidden: {}, tool: 'rect' });
});

const annotate = () => useAnnotate.getState();

describe('the annotation store', () => {
  it('saving puts the copy in the chip’s place and remembers its marks for the prompt', async () => {
    await annotate().open(b);
    expect(annotate().session).toMatchObject({ trayId: b.id, original: b, status: 'ready' });
    expect(isDirty(annotate())).toBe(false);
    // Nothing drawn: closing needs no request.
    expect(await annotate().save(picture)).toBe(b.id);
    expect(sent).toEqual([]);

    annotate().commit(box);
    expect(isDirty(annotate())).toBe(true);
    answer = { ok: true, value: copy };
    expect(await annotate().save(picture)).toBe(copy.id);
    expect(sent).toEqual([
      {
        route: 'references.annotate',
        input: {
          originalId: b.id,
          layer: { version: 1, ...picture, marks: [box] },
        } satisfies RouteInput<'references.annotate'>,
      },
    ]);
    expect(useCompose.getState().references.map((item) => item.id)).toEqual([a.id, copy.id, c.id]);
    expect(annotate().savedMarks[copy.id]).toEqual([box]);
  });

  it('a failed save keeps every mark, says why, and leaves the tray alone', async () => {
    await annotate().open(b);
    annotate().commit(box);
    answer = { ok: false, error: { code: 'VALIDATION', message: 'gone', details: { referenceId: b.id } } };
    expect(await annotate().save(picture)).toBeNull();
    expect(annotate().saveError).toMatchObject({ code: 'VALIDATION' });
    expect(annotate().history.present).toEqual([box]);
    expect(annotate().session?.trayId).toBe(b.id);
    expect(useCompose.getState().references).toEqual([a, b, c]);
  });

  it('a marked copy opens as its original with its marks; if those are gone, as itself', async () => {
    useCompose.setState({ references: [a, copy] });
    answer = { ok: true, value: { original: b, layer: { version: 1, ...picture, marks: [box] } } };
    await annotate().open(copy);
    expect(sent.at(-1)).toEqual({ route: 'references.annotation', input: { id: copy.id } });
    expect(annotate().session).toMatchObject({
      trayId: copy.id,
      original: b,
      status: 'ready',
      reopenFailed: false,
    });
    expect(annotate().history.present).toEqual([box]);
    expect(isDirty(annotate())).toBe(false);

    answer = { ok: true, value: null };
    await annotate().open(copy);
    expect(annotate().session).toMatchObject({ original: copy, reopenFailed: true });
    expect(annotate().history.present).toEqual([]);
  });

  it('a colour or size picked with a mark selected changes that mark, as one undo step', async () => {
    await annotate().open(b);
    annotate().commit(box);
    annotate().select(0);
    annotate().setColor('blue');
    expect(annotate().history.present[0]).toMatchObject({ color: 'blue' });
    annotate().setSize(3, { width: 1000, height: 500 });
    expect(annotate().history.present[0]).toMatchObject({ width: 24 });
    annotate().undo();
    expect(annotate().history.present[0]).toMatchObject({ color: 'blue', width: 2 });
    // Undo also drops the selection: the next colour is only for new marks.
    annotate().setColor('green');
    expect(annotate().history.present[0]).toMatchObject({ color: 'blue' });
  });
});
