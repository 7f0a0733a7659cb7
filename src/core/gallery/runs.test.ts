import { afterEach, describe, expect, it } from 'vitest';
import type { JobParams } from '@shared/domain/job';
import type { RunTag } from '@shared/domain/run';
import { openDatabase, type Database } from '../db/database';
import { ImageIndex } from './index';
import { latestPerVariant, RunIndex } from './runs';

const RUN = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OTHER = '3f2504e0-4f89-41d3-9a0c-0305e82c3302';
const params: JobParams = {
  model: 'google/nano-banana',
  prompt: 'a lighthouse at dawn',
  aspectRatio: '1:1',
  outputFormat: 'png',
  resolution: null,
};
const tag = (id: string, index: number, label: string): RunTag => ({
  id,
  vary: 'prompt',
  label,
  index,
  size: 3,
});

const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function rig() {
  const db = openDatabase(':memory:');
  open.push(db);
  const images = new ImageIndex(db);
  let minute = 0;
  const add = (id: string, run: RunTag | null) => {
    minute += 1;
    images.insert({
      id,
      jobId: null,
      kieTaskId: null,
      resultIndex: 0,
      params: run ? { ...params, prompt: run.label, run } : params,
      relPath: `2026/01/${id}.png`,
      width: 64,
      height: 64,
      format: 'png',
      bytes: 100,
      demo: false,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
    });
  };
  return { db, images, runs: new RunIndex(db, images), add };
}

describe('the images of a run', () => {
  it('lists a run’s images oldest first, and the newest picture of each variant in run order', () => {
    const { runs, add } = rig();
    add('plain', null);
    add('b', tag(RUN, 1, 'snow'));
    add('a', tag(RUN, 0, 'night'));
    add('other', tag(OTHER, 0, 'night'));
    add('b-retried', tag(RUN, 1, 'snow'));
    const all = runs.imagesOf(RUN);
    expect(all.map((item) => item.record.id)).toEqual(['b', 'a', 'b-retried']);
    expect(latestPerVariant(all).map((item) => [item.run.index, item.record.id])).toEqual([
      [0, 'a'],
      [1, 'b-retried'],
    ]);
    expect(runs.imagesOf('3f2504e0-4f89-41d3-9a0c-0305e82c3399')).toEqual([]);
  });

  it('leaves trashed images out', () => {
    const { db, runs, add } = rig();
    add('a', tag(RUN, 0, 'night'));
    add('b', tag(RUN, 1, 'snow'));
    db.prepare('UPDATE images SET trashed = 1 WHERE id = ?').run('b');
    expect(runs.imagesOf(RUN).map((item) => item.record.id)).toEqual(['a']);
  });

  it('is served by the run indexes, not by a scan of every image or job', () => {
    const { db } = rig();
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(RUN) as { detail: string }[])
        .map((row) => row.detail)
        .join('\n');
    expect(
      plan(
        "SELECT id FROM images WHERE json_extract(params, '$.run.id') = ? AND trashed = 0 ORDER BY created_at, id",
      ),
    ).toMatch(/USING INDEX images_run/);
    expect(
      plan("SELECT state FROM jobs WHERE json_extract(params, '$.run.id') = ? ORDER BY created_at, id"),
    ).toMatch(/USING INDEX jobs_run/);
  });
});
