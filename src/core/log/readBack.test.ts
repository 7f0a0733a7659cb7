import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/tempDir';
import { recentLogs } from '../ipc/handlers';
import { createLogger, MemorySink, RotatingFileSink, type LogEntry } from './logger';
import { logFilesNewestFirst, parseLogLine, readLogTail } from './readBack';

const tempDir = useTempDirs();

function line(message: string, fields?: Record<string, unknown>, time = '2025-01-01T10:00:00.000Z'): string {
  const entry: LogEntry = { time, level: 'info', scope: 'main.jobs', message };
  if (fields) entry.fields = fields;
  return `${JSON.stringify(entry)}\n`;
}

describe('reading the log file back', () => {
  it('skips malformed lines and keeps the good ones in order', async () => {
    const dir = await tempDir();
    const file = join(dir, 'main.log');
    await writeFile(
      file,
      [
        line('first', { jobId: 'job-1' }),
        'not json at all\n',
        '{"time":"yesterday","level":"info","scope":"x","message":"bad time"}\n',
        '{"time":"2025-01-01T10:00:00.000Z","level":"loud","scope":"x","message":"bad level"}\n',
        '[1,2,3]\n',
        '\n',
        line('second'),
        // A crash mid-write leaves half a line at the end.
        '{"time":"2025-01-01T10:00:00.000Z","level":"in',
      ].join(''),
    );
    const entries = await readLogTail([file]);
    expect(entries.map((entry) => entry.message)).toEqual(['first', 'second']);
    expect(entries[0]?.fields).toEqual({ jobId: 'job-1' });
  });

  it('reads only the last bytes, dropping the line the cap cuts through', async () => {
    const dir = await tempDir();
    const file = join(dir, 'main.log');
    const lines = Array.from({ length: 200 }, (_, index) => line(`line ${index} ${'é'.repeat(index % 7)}`));
    await writeFile(file, lines.join(''));
    const cap = 2_000;
    const entries = await readLogTail([file], cap);
    const kept = entries.map((entry) => entry.message);
    expect(kept.at(-1)).toBe('line 199 ' + 'é'.repeat(199 % 7));
    // Whole lines only, all of them from the end, within the cap.
    const keptBytes = kept.reduce(
      (sum, _m, index) => sum + Buffer.byteLength(lines[200 - kept.length + index] ?? ''),
      0,
    );
    expect(keptBytes).toBeLessThanOrEqual(cap);
    expect(keptBytes).toBeGreaterThan(cap - Buffer.byteLength(lines[199] ?? '') * 2);
    expect(kept[0]).toBe(`line ${200 - kept.length} ${'é'.repeat((200 - kept.length) % 7)}`);
  });

  it('goes on into the rotated files, oldest first, and stops at the cap', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'main.2.log'), line('oldest'));
    await writeFile(join(dir, 'main.1.log'), line('older a') + line('older b'));
    await writeFile(join(dir, 'main.log'), line('newest'));
    const files = logFilesNewestFirst(dir, 'main', 3);
    expect((await readLogTail(files)).map((entry) => entry.message)).toEqual([
      'oldest',
      'older a',
      'older b',
      'newest',
    ]);
    // Room for the newest file and part of the one before: no line from before the gap.
    const cap = Buffer.byteLength(line('newest')) + Buffer.byteLength(line('older b')) + 10;
    expect((await readLogTail(files, cap)).map((entry) => entry.message)).toEqual(['older b', 'newest']);
  });

  it('a missing log is no lines, not an error', async () => {
    const dir = await tempDir();
    await expect(readLogTail(logFilesNewestFirst(dir, 'main', 3))).resolves.toEqual([]);
    expect(parseLogLine('')).toBeNull();
  });

  it('the log view of a new session shows the earlier session’s lines of one job', async () => {
    const dir = await tempDir();
    const logsDir = join(dir, 'logs');
    const firstFile = new RotatingFileSink(logsDir);
    const first = createLogger({ sinks: [firstFile, new MemorySink(500, firstFile)] });
    first.info('KIE request', { jobId: 'job-a', method: 'POST' });
    first.info('KIE response', { jobId: 'job-b', status: 200 });
    first.info('Image saved', { jobId: 'job-a' });
    await firstFile.flush();
    await appendFile(join(logsDir, 'main.log'), 'garbage from a hand edit\n');

    // A restart: a new sink and an empty memory over the same folder.
    const file = new RotatingFileSink(logsDir);
    const history = new MemorySink(500, file);
    const log = createLogger({ sinks: [file, history] });
    log.info('Started again');
    const forJob = await recentLogs(history, 'job-a', 50);
    expect(forJob.map((entry) => entry.message)).toEqual(['Image saved', 'KIE request']);
    expect(forJob.every((entry) => entry.jobId === 'job-a')).toBe(true);
    // Lines logged just now are in it too, without waiting for the file.
    const all = await recentLogs(history, null, 50);
    expect(all.map((entry) => entry.message)).toEqual([
      'Started again',
      'Image saved',
      'KIE response',
      'KIE request',
    ]);
  });

  it('without a log file the view shows what is in memory', async () => {
    const history = new MemorySink(500);
    createLogger({ sinks: [history] }).warn('Only here', { jobId: 'j' });
    expect((await recentLogs(history, 'j', 10)).map((entry) => entry.message)).toEqual(['Only here']);
  });
});
