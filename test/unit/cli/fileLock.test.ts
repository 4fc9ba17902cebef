// The lock file behind the secret store's read-modify-write: taken with O_EXCL, waited for,
// taken over when stale, given up with a message that says what to do, and always released
// (but never someone else's lock).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FileLockError, FileLockTimeoutError, withFileLock } from '../../../src/cli/fileLock';

const root = mkdtempSync(join(tmpdir(), 'mcplex-lock-'));
after(() => rmSync(root, { recursive: true, force: true }));
let serial = 0;
function freshLock(): string {
  serial += 1;
  return join(root, `case-${serial}.lock`);
}

/** A lock file as a crashed process leaves it: its pid, last written `ageMs` ago. */
function leftBehind(lockPath: string, ageMs: number, pid = '424242'): void {
  writeFileSync(lockPath, `${pid}\n`);
  const then = new Date(Date.now() - ageMs);
  utimesSync(lockPath, then, then);
}

describe('withFileLock', () => {
  it('holds a 0600 lock file with its pid while the work runs, and removes it after', { skip: process.platform === 'win32' }, () => {
    const lockPath = freshLock();
    const seen = withFileLock(lockPath, () => ({
      content: readFileSync(lockPath, 'utf8'),
      mode: statSync(lockPath).mode & 0o777,
    }));
    assert.deepEqual(seen, { content: `${process.pid}\n`, mode: 0o600 });
    assert.equal(existsSync(lockPath), false);
  });

  it('passes the work’s own error on unchanged and still releases', () => {
    const lockPath = freshLock();
    const failure = new Error('the work failed');
    assert.throws(() => withFileLock(lockPath, () => { throw failure; }), (error) => error === failure);
    assert.equal(existsSync(lockPath), false);
  });

  it('waits while another holds the lock and takes it once released', () => {
    const lockPath = freshLock();
    leftBehind(lockPath, 0);
    const waits: number[] = [];
    const result = withFileLock(lockPath, () => 'done', {
      sleep: (ms) => {
        waits.push(ms);
        if (waits.length === 3) rmSync(lockPath); // the holder finishes
      },
    });
    assert.equal(result, 'done');
    assert.equal(waits.length, 3);
    assert.ok(waits.every((ms) => ms > 0 && ms <= 100), `short backoff: ${waits.join(', ')}`);
    assert.equal(existsSync(lockPath), false);
  });

  it('takes a stale lock over (a crashed holder) without waiting', () => {
    const lockPath = freshLock();
    leftBehind(lockPath, 60_000);
    let slept = 0;
    const result = withFileLock(lockPath, () => readFileSync(lockPath, 'utf8'), {
      sleep: () => void slept++,
    });
    assert.equal(result, `${process.pid}\n`, 'the lock is this process’s now');
    assert.equal(slept, 0);
    assert.equal(existsSync(lockPath), false);
  });

  it('does not take over a lock younger than staleMs', () => {
    const lockPath = freshLock();
    leftBehind(lockPath, 10_000);
    assert.throws(() => withFileLock(lockPath, () => 'never', { timeoutMs: 50, staleMs: 30_000 }), FileLockTimeoutError);
    assert.equal(readFileSync(lockPath, 'utf8'), '424242\n', 'the holder’s lock is left alone');
  });

  it('gives up after timeoutMs with a message naming the lock file, its holder and what to do', () => {
    const lockPath = freshLock();
    leftBehind(lockPath, 0, '31337');
    const started = Date.now();
    let ran = false;
    assert.throws(
      () => withFileLock(lockPath, () => (ran = true), { timeoutMs: 150 }),
      (error: unknown) => {
        assert.ok(error instanceof FileLockTimeoutError && error instanceof FileLockError);
        assert.equal(error.code, 'lock-timeout');
        assert.equal(error.lockPath, lockPath);
        assert.match(error.message, /held by process 31337 after 150 ms/);
        assert.ok(error.message.includes(`rm '${lockPath}'`), error.message);
        return true;
      },
    );
    assert.ok(Date.now() - started >= 140, 'it kept trying for the whole timeout');
    assert.equal(ran, false);
    assert.equal(existsSync(lockPath), true, 'a lock it never took is not removed');
  });

  it('leaves a lock that another process took over meanwhile', () => {
    const lockPath = freshLock();
    withFileLock(lockPath, () => {
      // Held too long: another process judged it stale and made its own.
      renameSync(lockPath, `${lockPath}.old`);
      writeFileSync(lockPath, '999\n');
    });
    assert.equal(readFileSync(lockPath, 'utf8'), '999\n');
  });

  it('reports a lock that cannot be created as a lock error, not a timeout', () => {
    const lockPath = join(root, 'no-such-folder', 'x.lock');
    assert.throws(
      () => withFileLock(lockPath, () => 'never'),
      (error: unknown) =>
        error instanceof FileLockError && !(error instanceof FileLockTimeoutError) && error.code === 'lock-failed' && error.message.includes(lockPath),
    );
  });
});
