/**
 * `npm run soak`: a bounded soak of a real `mcplex serve --http` aggregate of real processes
 * (two server-everything accounts, the echo fixture, the flood fixture at ~1 MB/s of log lines).
 * For `--duration` (default 3 min): concurrent clients make mixed calls, one upstream process
 * is SIGKILLed every `--kill-every` seconds (the supervisor restarts it), one client opens its
 * GET stream and stops reading (mcplex must close that session), and sessions are opened and
 * abandoned. Reports calls, errors by kind, p50/p99, mcplex's RSS and open fds; exits 1 on an
 * unexplained error, a crash of mcplex, RSS past the ceiling or a stalled session left open.
 *
 *   node --import tsx bench/soak.ts [--duration 3m|30s|180] [--workers 6] [--kill-every 15]
 *                                   [--rss-ceiling-mb 300] [--rss-growth-mb 100] [--json]
 *
 * A soak, not a test: not part of `npm test`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { HttpRpc } from './lib/rawClient';
import { openBareSession, openFullSession, operations, perform, sessionOpen, stallStream, type Endpoint } from './lib/soakClients';
import { FLOOD, MEMBERS, memberPids, memoryOf, openFds, resetPeak, SOAK_TOKEN, startSoakServe, writeSoakConfig, type MemberKey, type SoakServe } from './lib/soakServe';
import { Tally } from './lib/soakTally';
import { format } from './lib/stats';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '3m' },
    workers: { type: 'string', default: '6' },
    'kill-every': { type: 'string', default: '15' },
    'abandon-every': { type: 'string', default: '10' },
    'rss-ceiling-mb': { type: 'string', default: '300' },
    'rss-growth-mb': { type: 'string', default: '100' },
    json: { type: 'boolean', default: false },
  },
});

function seconds(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(text.trim());
  if (match === null) throw new Error(`--duration takes seconds or a time like 30s or 3m (got "${text}")`);
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1);
}

const DURATION_MS = seconds(values.duration) * 1000;
const WORKERS = Number(values.workers);
const KILL_EVERY_MS = seconds(values['kill-every']) * 1000;
const ABANDON_EVERY_MS = seconds(values['abandon-every']) * 1000;
const ABANDON_BATCH = 5;
const RSS_CEILING = Number(values['rss-ceiling-mb']);
const RSS_GROWTH = Number(values['rss-growth-mb']);
/** Short enough to see within a smoke run; the default is 30 s (src/core/host/outboxLimits.ts). */
const STALL_MS = 10_000;
/** Abandoned sessions are expired within the run (the default is 30 min). */
const SESSION_IDLE_S = 20;
const KILL_ORDER: readonly MemberKey[] = ['ev1', 'flood', 'echo', 'ev2'];
const MB = 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const say = (text: string): void => void process.stderr.write(`soak: ${text}\n`);

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'mcplex-soak-'));
  const load = loadavg();
  const serve = await startSoakServe(writeSoakConfig(dir), dir, { stallMs: STALL_MS, sessionIdleSeconds: SESSION_IDLE_S });
  try {
    return await soak(serve, dir, load);
  } catch (error) {
    // The harness failed, not mcplex: leave no server (and its upstreams) behind.
    await serve.stop(3000);
    throw error;
  }
}

async function soak(serve: SoakServe, dir: string, load: number[]): Promise<number> {
  const endpoint: Endpoint = { url: serve.url, headers: { authorization: `Bearer ${SOAK_TOKEN}` } };
  const tally = new Tally();
  let crashed: string | undefined;
  let stopping = false;
  serve.child.once('exit', (code, signal) => {
    if (!stopping) crashed = `mcplex exited (${signal ?? code}) during the soak`;
  });
  say(`mcplex pid ${serve.pid} at ${serve.url}; ${WORKERS} workers for ${DURATION_MS / 1000} s, a kill every ${KILL_EVERY_MS / 1000} s`);

  // Every member up, then sessions that see all of them.
  const clients: HttpRpc[] = [];
  for (let i = 0; i < WORKERS; i++) clients.push(await openFullSession(endpoint));
  const { resources } = (await clients[0]!.request('resources/list', {})) as { resources: { uri: string }[] };
  const uriOf = (member: 'ev1' | 'ev2'): string => resources.find((r) => r.uri.startsWith(`mcplex://${member}/`) && r.uri.endsWith('.md'))?.uri ?? `mcplex://${member}/missing`;
  const mix = operations(uriOf);

  const startRss = memoryOf(serve.pid).rss;
  const startFds = openFds(serve.pid);
  resetPeak(serve.pid);
  let sampledPeak = startRss;
  const startedAt = performance.now();
  const until = startedAt + DURATION_MS;
  const running = (): boolean => performance.now() < until && crashed === undefined;

  const sampler = setInterval(() => {
    const rss = memoryOf(serve.pid).rss;
    if (Number.isFinite(rss)) sampledPeak = Math.max(sampledPeak, rss);
  }, 1000);

  const worker = async (index: number): Promise<void> => {
    let client = clients[index]!;
    let next = index;
    while (running()) {
      const op = mix[next++ % mix.length]!;
      const outcome = await perform(client, op);
      tally.record(op, outcome, performance.now());
      if (!outcome.ok && outcome.kind === 'HTTP 404') {
        // mcplex closed this session: a failure, but go on with a new one.
        await client.close().catch(() => undefined);
        client = await openFullSession(endpoint, 30_000);
        clients[index] = client;
      }
    }
  };

  const killer = async (): Promise<void> => {
    for (let round = 0; ; round++) {
      await sleep(KILL_EVERY_MS);
      if (!running() || performance.now() + 3000 > until) return;
      const member = KILL_ORDER[round % KILL_ORDER.length]!;
      const pid = memberPids(serve.pid).get(member);
      if (pid === undefined) {
        tally.fail(`${member} not running when its kill was due`, `no process of ${member} under mcplex`);
        continue;
      }
      const kill = tally.kill(member, performance.now());
      process.kill(pid, 'SIGKILL');
      void (async () => {
        while (crashed === undefined && performance.now() < until + 30_000) {
          const now = memberPids(serve.pid).get(member);
          if (now !== undefined && now !== pid) return void (kill.back = performance.now());
          await sleep(100);
        }
      })();
    }
  };

  let abandoned = 0;
  const abandoner = async (): Promise<void> => {
    while (running()) {
      for (let i = 0; i < ABANDON_BATCH; i++) {
        await openBareSession(endpoint).then(
          () => abandoned++,
          (error: Error) => tally.fail('abandoned session could not open', error.message),
        );
      }
      await sleep(ABANDON_EVERY_MS);
    }
  };

  const stalled = await openBareSession(endpoint);
  const dropStalled = await stallStream(endpoint, stalled);
  const stalledAt = performance.now();

  await Promise.all([...clients.map((_, i) => worker(i)), killer(), abandoner()]);
  const elapsed = (performance.now() - startedAt) / 1000;
  clearInterval(sampler);

  // The stalled session: closed by mcplex (a line in its log, 404 for its id) while the flood ran.
  const closedLine = serve.mcplexLines().find((line) => line.includes(`closed session ${stalled}`));
  const stalledGone = crashed === undefined && !(await sessionOpen(endpoint, stalled).catch(() => true));
  dropStalled();
  const stalledReport = closedLine !== undefined && stalledGone ? `closed: ${/: (its client stalled[^;]*)/.exec(closedLine)?.[1] ?? closedLine}` : 'NOT closed';
  if (closedLine === undefined || !stalledGone) tally.fail('stalled session not closed', `after ${format((performance.now() - stalledAt) / 1000)} s`);

  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  await sleep(3000);
  const end = memoryOf(serve.pid);
  const endFds = openFds(serve.pid);
  const peak = Math.max(sampledPeak, end.peak, end.rss);
  const expired = serve.mcplexLines().filter((line) => /closed session .* idle for/.test(line)).length;
  const restarts = tally.kills.filter((kill) => kill.back !== undefined).length;
  const restartMs = tally.kills.flatMap((kill) => (kill.back === undefined ? [] : [kill.back - kill.at])).sort((a, b) => a - b);
  const stopStarted = performance.now();
  stopping = true;
  const stopped = crashed === undefined ? await serve.stop() : 'crashed';
  const stopMs = performance.now() - stopStarted;

  const rssFailures: string[] = [];
  if (peak / MB > RSS_CEILING) rssFailures.push(`peak RSS ${format(peak / MB)} MB over the ${RSS_CEILING} MB ceiling`);
  if ((end.rss - startRss) / MB > RSS_GROWTH) rssFailures.push(`RSS grew ${format((end.rss - startRss) / MB)} MB, over the ${RSS_GROWTH} MB allowed`);

  const all = tally.percentiles();
  const lines = [
    `| | |`,
    `| --- | --- |`,
    `| duration | ${format(elapsed)} s, ${WORKERS} clients, members ${MEMBERS.join(', ')} (flood ${FLOOD.rate}/s × ${FLOOD.bytes} B) |`,
    `| calls | ${format(tally.calls())} (${format(tally.calls() / elapsed)}/s) |`,
    `| answered | ${format(all.count)}; p50 ${format(all.p50, 1)} ms, p99 ${format(all.p99, 1)} ms |`,
    ...(['tools/call', 'tools/list', 'resources/read', 'prompts/get'] as const).map((kind) => {
      const p = tally.percentiles(kind);
      return `| — ${kind} | ${format(p.count)}; p50 ${format(p.p50, 1)} ms, p99 ${format(p.p99, 1)} ms |`;
    }),
    `| upstream kills (SIGKILL) | ${tally.kills.length}, restarted ${restarts} (kill → new process: median ${format(restartMs[Math.floor(restartMs.length / 2)] ?? Number.NaN)} ms, max ${format(restartMs[restartMs.length - 1] ?? Number.NaN)} ms) |`,
    `| errors a restart explains | ${format(tally.explainedCount())}${[...tally.explained].map(([key, count]) => `; ${key}: ${count}`).join('')} |`,
    `| unexplained errors | ${format(tally.unexplainedCount())}${[...tally.unexplained].map(([key, entry]) => `; ${key}: ${entry.count} (“${entry.sample.replaceAll('|', '\\|').slice(0, 160)}”)`).join('')} |`,
    `| mcplex RSS start / peak / end | ${format(startRss / MB)} / ${format(peak / MB)} / ${format(end.rss / MB)} MB (ceiling: peak ${RSS_CEILING} MB, growth ${RSS_GROWTH} MB) |`,
    `| mcplex open fds start / end | ${startFds} / ${endFds} |`,
    `| stalled GET stream | ${stalledReport} |`,
    `| abandoned sessions | ${abandoned} opened, ${expired} expired by the idle timeout (${SESSION_IDLE_S} s) |`,
    `| SIGTERM at the end | ${stopped === 'killed' ? 'did not exit in 10 s' : `exit ${String(stopped)} in ${format(stopMs)} ms`} |`,
    `| machine | ${cpus().length} × ${cpus()[0]?.model.trim() ?? '?'}, load average ${load.map((l) => l.toFixed(1)).join(' ')} at the start, ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const failures = [...(crashed !== undefined ? [crashed] : []), ...(tally.unexplainedCount() > 0 ? [`${tally.unexplainedCount()} unexplained errors`] : []), ...rssFailures, ...(stopped === 'killed' ? ['mcplex did not stop within 10 s of SIGTERM'] : [])];
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ calls: tally.calls(), answered: all.count, p50: all.p50, p99: all.p99, explained: tally.explainedCount(), unexplained: Object.fromEntries([...tally.unexplained].map(([k, v]) => [k, v.count])), kills: tally.kills.length, restarts, rss: { start: startRss, peak, end: end.rss }, fds: { start: startFds, end: endFds }, stalledClosed: closedLine !== undefined && stalledGone, abandoned, expired, failures })}\n`,
    );
  }
  if (failures.length > 0) say(`FAILED: ${failures.join('; ')} (mcplex's log: ${serve.logFile})`);
  else rmSync(dir, { recursive: true, force: true });
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
