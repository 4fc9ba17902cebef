// Issue 15: the soak (bench/soak.ts, `npm run soak`) as a 20-second smoke run, so a change
// that breaks it (an unexplained error under upstream kills, a stalled stream left open,
// a crash, memory past its ceiling) shows in `npm test`, not only when someone soaks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/cli';

describe('the soak, 20 seconds (issue 15)', () => {
  it('serves mixed calls through upstream kills with no unexplained error, closes the stalled stream, stays under its RSS ceiling', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', 'soak.ts'), '--duration', '20s', '--kill-every', '6', '--workers', '3', '--json'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { calls: number; kills: number; restarts: number; stalledClosed: boolean; unexplained: Record<string, number>; failures: string[] };
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.deepEqual(report.failures, []);
    assert.deepEqual(report.unexplained, {});
    assert.ok(report.calls > 100, `only ${report.calls} calls in 20 s`);
    assert.ok(report.kills >= 2 && report.restarts === report.kills, `${report.kills} kills, ${report.restarts} restarts`);
    assert.equal(report.stalledClosed, true);
  });
});
