/**
 * Stopping a process tree on Windows, which has no process groups. `taskkill /pid N /T /F`
 * walks the tree from the leader while the leader is alive; where `/T` is refused (wine's
 * taskkill knows only `/pid`, `/im` and `/f`), the tree is listed with
 * `wmic process get ParentProcessId,ProcessId` (wine has it; real Windows has had `/T`
 * forever) and each descendant, then the leader, is terminated. Without wmic either, the
 * leader alone is stopped: the best left.
 *
 * What is proven where: under wine (`npm run test:windows`) the fallback stops a leader and
 * its grandchild; `taskkill /T` itself is real Windows' and not run here.
 */
import { spawn } from 'node:child_process';

export interface ProcessRow {
  readonly pid: number;
  readonly parent: number;
}

/** Forces the tree led by `pid` to stop; settles when the attempt is over (not when all have exited). */
export async function killWindowsTree(pid: number): Promise<void> {
  const treeKill = await run('taskkill', ['/pid', String(pid), '/T', '/F']);
  if (treeKill.ok) return;
  // No /T here (or no taskkill): list the tree ourselves before the leader goes.
  const listing = await run('wmic', ['process', 'get', 'ParentProcessId,ProcessId']);
  const descendants = listing.ok ? descendantsOf(parseProcessTable(decodeConsole(listing.stdout)), pid) : [];
  for (const member of [...descendants, pid]) terminate(member);
}

/** The rows of `wmic process get ParentProcessId,ProcessId` (any column order; blank lines skipped). */
export function parseProcessTable(text: string): ProcessRow[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  const header = lines.shift()?.toLowerCase().split(/\s+/) ?? [];
  const pidColumn = header.indexOf('processid');
  const parentColumn = header.indexOf('parentprocessid');
  if (pidColumn < 0 || parentColumn < 0) return [];
  const rows: ProcessRow[] = [];
  for (const line of lines) {
    const cells = line.split(/\s+/).map(Number);
    const pid = cells[pidColumn];
    const parent = cells[parentColumn];
    if (Number.isInteger(pid) && Number.isInteger(parent)) rows.push({ pid: pid as number, parent: parent as number });
  }
  return rows;
}

/**
 * Every process below `root`, deepest first (so none is left without its parent being
 * known). A pid Windows reused into a loop is visited once.
 */
export function descendantsOf(rows: readonly ProcessRow[], root: number): number[] {
  const seen = new Set<number>([root]);
  const order: number[] = [];
  const visit = (parent: number): void => {
    for (const row of rows) {
      if (row.parent !== parent || seen.has(row.pid)) continue;
      seen.add(row.pid);
      visit(row.pid);
      order.push(row.pid);
    }
  };
  visit(root);
  return order;
}

/** wmic writes UTF-16 with a byte order mark to a pipe; other tools the console's code page. */
export function decodeConsole(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  return bytes.toString('latin1');
}

function terminate(pid: number): void {
  try {
    // On Windows this is TerminateProcess, whatever the signal.
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function run(file: string, args: readonly string[]): Promise<{ readonly ok: boolean; readonly stdout: Buffer }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const child = spawn(file, [...args], { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', () => resolve({ ok: false, stdout: Buffer.alloc(0) }));
    child.once('close', (code) => resolve({ ok: code === 0, stdout: Buffer.concat(chunks) }));
  });
}
