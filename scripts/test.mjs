#!/usr/bin/env node
// `npm test`: every check the project has, in one run, summed into one closing line.
// Static checks (lint, format, typecheck, build) count as one test each; vitest suites count
// their tests. Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
const bin = (name) => join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2);

const totals = { passed: 0, failed: 0, skipped: 0 };
const rows = [];

function run(command, args, extraEnv = {}) {
  const started = Date.now();
  const child = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1', ...extraEnv },
  });
  return { ok: child.status === 0, seconds: (Date.now() - started) / 1000 };
}

function check(name, command, args) {
  if (only.length > 0 && !only.includes(name)) return true;
  console.log(`\n▶ ${name}`);
  const { ok, seconds } = run(command, args);
  totals[ok ? 'passed' : 'failed'] += 1;
  rows.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, seconds });
  return ok;
}

/** Per test file: its name (without folder and `.test.ts`), passed, failed, skipped. */
function fileRows(report) {
  return (report.testResults ?? []).map((file) => {
    const count = (status) => (file.assertionResults ?? []).filter((test) => test.status === status).length;
    const failed = count('failed') + (file.status === 'failed' && count('failed') === 0 ? 1 : 0);
    const name = file.name
      .split('/')
      .pop()
      .replace(/\.test\.ts$/, '');
    return {
      name,
      passed: count('passed'),
      failed,
      skipped: count('pending') + count('todo') + count('skipped'),
    };
  });
}

function suite(name, project, { skipBecause, byFile = false } = {}) {
  if (only.length > 0 && !only.includes(name)) return;
  console.log(`\n▶ ${name}`);
  if (skipBecause) {
    console.log(`  not run: ${skipBecause}`);
    totals.failed += 1;
    rows.push({ name, passed: 0, failed: 1, skipped: 0, seconds: 0 });
    return;
  }
  const output = join(results, `${project}.json`);
  rmSync(output, { force: true });
  const { ok, seconds } = run(bin('vitest'), [
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${output}`,
  ]);
  let row = { name, passed: 0, failed: ok ? 0 : 1, skipped: 0, seconds };
  if (existsSync(output)) {
    const report = JSON.parse(readFileSync(output, 'utf8'));
    const crashedFiles = (report.testResults ?? []).filter(
      (file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0,
    ).length;
    row = {
      name,
      passed: report.numPassedTests ?? 0,
      failed:
        (report.numFailedTests ?? 0) +
        crashedFiles +
        (ok || report.numFailedTests > 0 || crashedFiles > 0 ? 0 : 1),
      skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
      seconds,
    };
    if (row.passed + row.failed === 0) row.failed = 1; // a suite that ran nothing is a failure
    if (byFile) row.files = fileRows(report);
  }
  totals.passed += row.passed;
  totals.failed += row.failed;
  totals.skipped += row.skipped;
  rows.push(row);
}

check('lint', bin('eslint'), ['.', '--max-warnings', '0']);
check('format', bin('prettier'), ['--check', '.', '--log-level', 'warn']);
check('typecheck', bin('tsc'), ['-b', '--noEmit']);
suite('unit', 'unit');
suite('reliability', 'reliability', { byFile: true });
const built = check('build', bin('electron-vite'), ['build']);
suite('e2e', 'e2e', built ? {} : { skipBecause: 'the build failed' });

console.log('\nSummary');
for (const row of rows) {
  const skipped = row.skipped ? `, ${row.skipped} skipped` : '';
  console.log(
    `  ${row.name.padEnd(12)} ${row.passed} passed, ${row.failed} failed${skipped}  (${row.seconds.toFixed(1)} s)`,
  );
  for (const file of row.files ?? []) {
    const fileSkipped = file.skipped ? `, ${file.skipped} skipped` : '';
    console.log(`    ${file.name.padEnd(20)} ${file.passed} passed, ${file.failed} failed${fileSkipped}`);
  }
}
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(totals.failed > 0 ? 1 : 0);
