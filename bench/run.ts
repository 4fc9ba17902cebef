/**
 * `npm run bench`: mcplex side by side with a direct connection and with the proxies people
 * use, configurations interleaved in one run, several rounds, medians with [min–max].
 * Prints the tables and writes them into docs/BENCHMARKS.md (between the bench markers).
 *
 *   node --import tsx bench/run.ts [--rounds 5] [--calls 2000] [--warmup 2000] [--only latency,cold,memory,list,payload,tokens,session]
 *                                  [--configs directStdio,wrap,serveSocket]
 *
 * The context cost of tools/list per exposure (`--only tokens`, seconds, not minutes) has its
 * own table in docs/BENCHMARKS.md (between the bench:tokens markers), written by any run
 * that measures it; so has what a client's capabilities cost the first session of `serve --socket`
 * (`--only session`, bench:session).
 *
 * A measurement, not a test: nothing here asserts a figure.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { comparisonConfigs, CONFIGS, findTool, mcplexConfig, ROOT, scratch, upstreamCommand, CLI, type Config, type Running, type Upstream } from './lib/configs';
import { firstSessionSection } from './lib/firstSession';
import { ensurePeers } from './lib/peers';
import { cpuTimeOf, memoryOf, resetPeak } from './lib/proc';
import { handshake, HttpRpc, StdioRpc, type RpcClient } from './lib/rawClient';
import { format, formatSpread, percentile, spread } from './lib/stats';
import { ACCOUNTS, catalogConfig, countTokens, exposureAccepted, instanceKey, listThrough, SERVERS, type Listed } from './lib/tokens';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    calls: { type: 'string', default: '2000' },
    /** Calls before measuring, so every relay is measured warm (JIT tiers, heap size), as a long-lived one runs. */
    warmup: { type: 'string', default: '2000' },
    only: { type: 'string' },
    /** Latency rows to run, by configuration key (`directStdio,wrap,serveSocket`); default all. */
    configs: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    /** `name=path/to/cli.js`: also measure wrap, serve --socket and cold start of that build (before/after). */
    compare: { type: 'string', multiple: true },
  },
});
const ROUNDS = Number(values.rounds);
const CALLS = Number(values.calls);
const WARMUP = Number(values.warmup);
const SECTIONS = ['latency', 'cold', 'memory', 'list', 'payload', 'tokens', 'session'];
const only = new Set((values.only ?? SECTIONS.join(',')).split(','));
const MB = 1024 * 1024;
/** The builds measured side by side: this one (tag '') and each `--compare tag=path/to/cli.js`. */
const BUILDS: readonly (readonly [string, string])[] = [['', CLI], ...(values.compare ?? []).map((entry) => entry.split('=') as [string, string])];

interface CallStats {
  readonly p50: number;
  readonly p99: number;
  readonly rate: number;
  /** The harness's own CPU per call (its client), µs. */
  readonly clientCpu: number;
}

/** `calls` tools/call with `inFlight` of them outstanding at any time; latency in µs. */
async function callLoad(client: RpcClient, name: string, args: Record<string, unknown>, calls: number, inFlight: number): Promise<CallStats> {
  const samples: number[] = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < calls) {
      next++;
      const start = performance.now();
      await client.request('tools/call', { name, arguments: args });
      samples.push((performance.now() - start) * 1000);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), rate: calls / elapsed, clientCpu: (user + system) / calls };
}

// ---- latency and throughput -------------------------------------------------------------

interface LatencyRow {
  readonly config: Config;
  readonly upstream: Upstream;
  seqP50: number[];
  seqP99: number[];
  seqRate: number[];
  parP50: number[];
  parP99: number[];
  parRate: number[];
  /** CPU µs per sequential call of the relay process (of the server itself when direct). */
  cpu: number[];
  clientCpu: number[];
  rss: number[];
}

const LATENCY_MATRIX: [string, Upstream][] = [
  ['directStdio', 'everything'],
  ['directHttp', 'everything'],
  ['pipe', 'everything'],
  ['naive', 'everything'],
  ['wrap', 'everything'],
  ['serveHttp', 'everything'],
  ['httpPipe', 'everything'],
  ['serveSocket', 'everything'],
  ['aggregate10', 'everything'],
  ['mcpHub', 'everything'],
  ['supergateway', 'everything'],
  ['mcpProxy', 'everything'],
  ['directStdio', 'fixture'],
  ['pipe', 'fixture'],
  ['naive', 'fixture'],
  ['wrap', 'fixture'],
  ['httpPipe', 'fixture'],
  ['serveSocket', 'fixture'],
];

for (const [label, path] of BUILDS.slice(1)) {
  const extra = comparisonConfigs(label, path);
  Object.assign(CONFIGS, extra);
  for (const key of Object.keys(extra)) for (const upstream of ['everything', 'fixture'] as const) LATENCY_MATRIX.push([key, upstream]);
}

async function latencySection(): Promise<LatencyRow[]> {
  const wanted = values.configs === undefined ? undefined : new Set(values.configs.split(','));
  const matrix = LATENCY_MATRIX.filter(([key]) => wanted === undefined || wanted.has(key));
  const rows: LatencyRow[] = matrix.map(([key, upstream]) => ({ config: CONFIGS[key]!, upstream, seqP50: [], seqP99: [], seqRate: [], parP50: [], parP99: [], parRate: [], cpu: [], clientCpu: [], rss: [] }));
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round so no configuration always runs first (or after the heaviest).
    const order = rows.map((_, i) => rows[(i + round) % rows.length]!);
    for (const row of order) {
      const running = await row.config.start(row.upstream);
      try {
        const tool = await findTool(running.client, 'echo');
        const args = { message: 'hello' };
        await callLoad(running.client, tool, args, WARMUP, 1); // warm-up (JIT tiers, heap, connections)
        const measured = running.relayPid ?? running.serverPid;
        const cpuBefore = measured === undefined ? Number.NaN : cpuTimeOf(measured);
        const seq = await callLoad(running.client, tool, args, CALLS, 1);
        if (measured !== undefined) row.cpu.push((cpuTimeOf(measured) - cpuBefore) / CALLS);
        row.clientCpu.push(seq.clientCpu);
        const par = await callLoad(running.client, tool, args, CALLS, 8);
        row.seqP50.push(seq.p50);
        row.seqP99.push(seq.p99);
        row.seqRate.push(seq.rate);
        row.parP50.push(par.p50);
        row.parP99.push(par.p99);
        row.parRate.push(par.rate);
        if (running.relayPid !== undefined) row.rss.push(memoryOf(running.relayPid).rss / MB);
      } finally {
        await running.stop();
      }
    }
    progress(`latency round ${round + 1}/${ROUNDS}`);
  }
  return rows;
}

function latencyTable(rows: LatencyRow[]): string {
  const direct = (upstream: Upstream, transport: 'stdio' | 'http'): LatencyRow | undefined =>
    rows.find((row) => row.upstream === upstream && row.config.name.startsWith('direct') && (transport === 'stdio' ? row.config.transport === 'stdio' : row.config.transport !== 'stdio'));
  const lines = [
    '| configuration | upstream | seq p50 µs | seq p99 µs | seq calls/s | vs direct | added p50 µs | CPU µs/call | client CPU µs/call | 8 in flight p50 µs | p99 µs | calls/s | relay RSS MB |',
    '| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
  ];
  for (const row of rows) {
    const base = direct(row.upstream, 'stdio');
    const seqRate = spread(row.seqRate);
    const ratio = base === undefined ? Number.NaN : seqRate.median / spread(base.seqRate).median;
    const added = base === undefined ? Number.NaN : spread(row.seqP50).median - spread(base.seqP50).median;
    lines.push(
      `| ${row.config.name} | ${row.upstream === 'everything' ? 'server-everything' : 'lean fixture'} | ${formatSpread(spread(row.seqP50))} | ${formatSpread(spread(row.seqP99))} | ${formatSpread(seqRate)} | ${row === base ? '100%' : `${format(ratio * 100)}%`} | ${row === base ? '—' : format(added)} | ${row.cpu.length === 0 ? '—' : formatSpread(spread(row.cpu))} | ${formatSpread(spread(row.clientCpu))} | ${formatSpread(spread(row.parP50))} | ${formatSpread(spread(row.parP99))} | ${formatSpread(spread(row.parRate))} | ${row.rss.length === 0 ? '—' : formatSpread(spread(row.rss), 1)} |`,
    );
  }
  return lines.join('\n');
}

// ---- cold start -----------------------------------------------------------------------------

async function coldStart(command: string[], instances: number): Promise<number> {
  const started = performance.now();
  const [cmd = process.execPath, ...args] = command;
  const client = new StdioRpc(cmd, args);
  try {
    await handshake(client);
    for (;;) {
      const { tools } = (await client.request('tools/list', {})) as { tools: { name: string }[] };
      const prefixes = new Set(tools.map((tool) => (tool.name.includes('__') ? tool.name.split('__')[0] : '')));
      if (tools.length > 0 && prefixes.size >= instances) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return performance.now() - started;
  } finally {
    await client.close();
  }
}

/**
 * The machine's own floor: `count` upstreams spawned by the harness itself, no mcplex, each
 * through initialize and tools/list, all in parallel; the time to the last one's list.
 */
async function coldStartDirect(upstream: Upstream, count: number): Promise<number> {
  const started = performance.now();
  const clients: StdioRpc[] = [];
  try {
    await Promise.all(
      Array.from({ length: count }, async () => {
        const [cmd = process.execPath, ...args] = upstreamCommand(upstream);
        const client = new StdioRpc(cmd, args);
        clients.push(client);
        await handshake(client);
        await client.request('tools/list', {});
      }),
    );
    return performance.now() - started;
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

async function coldSection(): Promise<string> {
  const cases: { label: string; run: () => Promise<number> }[] = [];
  for (const upstream of ['fixture', 'everything'] as const) {
    const name = upstream === 'fixture' ? 'lean fixture' : 'server-everything';
    for (const count of [1, 10]) cases.push({ label: `direct, ${count} × ${name}`, run: () => coldStartDirect(upstream, count) });
    // `--compare before=path/to/cli.js` adds that build's rows, interleaved in the same rounds.
    for (const [tag, cli] of BUILDS) {
      for (const count of [1, 10]) {
        const config = mcplexConfig(upstream, count);
        const label = `mcplex serve${tag === '' ? '' : ` (${tag})`}, ${count} × ${name}`;
        cases.push({ label, run: () => coldStart([process.execPath, cli, 'serve', '--config', config], count) });
      }
    }
  }
  const samples = new Map(cases.map((c) => [c.label, [] as number[]]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) samples.get(c.label)!.push(await c.run());
    progress(`cold start round ${round + 1}/${ROUNDS}`);
  }
  const median = (label: string): number => spread(samples.get(label)!).median;
  const lines = [
    '| cold start to a full catalog (spawn → initialize → tools/list) | ms | 10 ÷ 1 | mcplex over direct, ms |',
    '| --- | --: | --: | --: |',
  ];
  for (const c of cases) {
    const s = spread(samples.get(c.label)!);
    const ratio = c.label.includes('10 ×') ? `${format(s.median / median(c.label.replace('10 ×', '1 ×')), 2)}×` : '';
    const over = c.label.startsWith('mcplex') ? format(s.median - median(c.label.replace(/^mcplex serve( \([^)]*\))?/, 'direct'))) : '';
    lines.push(`| ${c.label} | ${formatSpread(s)} | ${ratio} | ${over} |`);
  }
  return lines.join('\n');
}

// ---- host memory per instance ---------------------------------------------------------------

async function hostMemory(count: number): Promise<{ rss: number; heapUsed: number }> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', 'hostMemory.ts'), String(count)], { stdio: ['pipe', 'pipe', 'inherit'], cwd: ROOT });
  child.stdout.setEncoding('utf8');
  const lines: string[] = [];
  let waiting: ((line: string) => void) | undefined;
  let buffer = '';
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let at: number;
    while ((at = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      if (waiting !== undefined) {
        const resolve = waiting;
        waiting = undefined;
        resolve(line);
      } else lines.push(line);
    }
  });
  const nextLine = (): Promise<string> => (lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise((resolve) => (waiting = resolve)));
  const definitions = JSON.parse(await nextLine()) as { url: string; headers: Record<string, string> }[];
  // One VS Code-like session per instance, each listing its tools and making a call.
  const clients = definitions.map((definition) => {
    const match = /^unix:\/\/(.+)#(\/.*)$/.exec(definition.url);
    return new HttpRpc({ socketPath: match![1]!, path: match![2]!, headers: definition.headers });
  });
  for (const client of clients) {
    await handshake(client);
    const tool = await findTool(client, 'echo');
    for (let i = 0; i < 50; i++) await client.request('tools/call', { name: tool, arguments: { message: 'hello' } });
  }
  child.stdin.write('measure\n');
  const measured = JSON.parse(await nextLine()) as { rss: number; heapUsed: number };
  for (const client of clients) await client.close();
  child.stdin.write('exit\n');
  await new Promise((resolve) => child.once('exit', resolve));
  return measured;
}

async function memorySection(): Promise<string> {
  const base: number[] = [];
  const many: number[] = [];
  const heapBase: number[] = [];
  const heapMany: number[] = [];
  const rounds = Math.max(3, Math.min(ROUNDS, 5));
  for (let round = 0; round < rounds; round++) {
    const one = await hostMemory(1);
    const eleven = await hostMemory(11);
    base.push(one.rss / MB);
    many.push(eleven.rss / MB);
    heapBase.push(one.heapUsed / MB);
    heapMany.push(eleven.heapUsed / MB);
    progress(`host memory round ${round + 1}/${rounds}`);
  }
  const perRss = spread(many.map((value, i) => (value - base[i]!) / 10));
  const perHeap = spread(heapMany.map((value, i) => (value - heapBase[i]!) / 10));
  return [
    '| host process (WindowRuntime, one session per instance) | RSS MB | heap used MB |',
    '| --- | --: | --: |',
    `| 1 instance | ${formatSpread(spread(base), 1)} | ${formatSpread(spread(heapBase), 1)} |`,
    `| 11 instances | ${formatSpread(spread(many), 1)} | ${formatSpread(spread(heapMany), 1)} |`,
    `| **each additional instance** | **${formatSpread(perRss, 2)}** | ${formatSpread(perHeap, 2)} |`,
  ].join('\n');
}

// ---- tools/list at scale ------------------------------------------------------------------

async function listSection(): Promise<string> {
  const cold: number[] = [];
  const warm: number[] = [];
  const arrived: number[] = [];
  const startup: number[] = [];
  let toolCount = 0;
  const rounds = Math.max(1, Math.min(ROUNDS, 3));
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    const running = await CONFIGS['serveSocket']!.start('fixture', { instances: 50, fixtureArgs: ['--tools', '100'] });
    try {
      startup.push(performance.now() - started);
      let t = performance.now();
      const first = (await running.client.request('tools/list', {})) as { tools: unknown[] };
      cold.push(performance.now() - t);
      toolCount = first.tools.length;
      const samples: number[] = [];
      const bodies: number[] = [];
      const http = running.client instanceof HttpRpc ? running.client : undefined;
      for (let i = 0; i < 30; i++) {
        t = performance.now();
        await running.client.request('tools/list', {});
        samples.push(performance.now() - t);
        if (http !== undefined) bodies.push(http.lastBodyAt - t);
      }
      samples.sort((a, b) => a - b);
      bodies.sort((a, b) => a - b);
      warm.push(percentile(samples, 0.5));
      if (bodies.length > 0) arrived.push(percentile(bodies, 0.5));
    } finally {
      await running.stop();
    }
    progress(`tools/list round ${round + 1}/${rounds}`);
  }
  return [
    `| tools/list, 50 instances × 100 tools (${toolCount} tools), aggregate over the socket | ms |`,
    '| --- | --: |',
    `| start to initialized (50 upstream processes) | ${formatSpread(spread(startup))} |`,
    `| first tools/list (builds the catalog) | ${formatSpread(spread(cold), 1)} |`,
    `| **tools/list from the catalog** (p50 of 30, request sent → whole body received) | **${formatSpread(spread(arrived), 2)}** |`,
    `| tools/list from the catalog, end to end incl. the client's JSON.parse of the body | ${formatSpread(spread(warm), 2)} |`,
  ].join('\n');
}

// ---- a 10 MB result -------------------------------------------------------------------------

async function payloadSection(): Promise<string> {
  const BYTES = 10 * 1000 * 1000;
  const keys = ['directStdio', 'naive', 'wrap', 'serveSocket', ...Object.keys(CONFIGS).filter((key) => key.includes(':'))];
  const time = new Map<string, number[]>(keys.map((k) => [k, []]));
  const peak = new Map<string, number[]>(keys.map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const key of keys) {
      const running: Running = await CONFIGS[key]!.start('fixture');
      try {
        const tool = await findTool(running.client, 'payload');
        await running.client.request('tools/call', { name: tool, arguments: { bytes: 1000 } });
        await running.client.request('tools/call', { name: tool, arguments: { bytes: BYTES } }); // warm: the fixture caches its text
        const pid = running.relayPid;
        const before = pid === undefined ? Number.NaN : memoryOf(pid).rss;
        if (pid !== undefined) resetPeak(pid);
        const samples: number[] = [];
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          const result = (await running.client.request('tools/call', { name: tool, arguments: { bytes: BYTES } })) as { content: { text: string }[] };
          samples.push(performance.now() - t);
          if (result.content[0]?.text.length !== BYTES) throw new Error(`${key}: the payload arrived cut`);
        }
        time.get(key)!.push(spread(samples).median);
        if (pid !== undefined) peak.get(key)!.push((memoryOf(pid).peak - before) / MB);
      } finally {
        await running.stop();
      }
    }
    progress(`10 MB round ${round + 1}/${ROUNDS}`);
  }
  const direct = spread(time.get('directStdio')!).median;
  const lines = ['| 10 MB tool result (lean fixture) | ms | vs direct | relay peak RSS growth MB | ÷ payload |', '| --- | --: | --: | --: | --: |'];
  for (const key of keys) {
    const t = spread(time.get(key)!);
    const p = spread(peak.get(key)!);
    lines.push(`| ${CONFIGS[key]!.name} | ${formatSpread(t)} | ${key === 'directStdio' ? '1.00×' : `${format(t.median / direct, 2)}×`} | ${key === 'directStdio' ? '—' : formatSpread(p)} | ${key === 'directStdio' ? '' : `${format((p.median * MB) / BYTES, 2)}×`} |`);
  }
  return lines.join('\n');
}

// ---- the context cost of tools/list per exposure (issue 18) ---------------------------------

/** Targets of issue 18: `accounts` within 1.2× one account's tokens; `discovery` under 1,000 whatever the catalog. */
const ACCOUNTS_TARGET = 1.2;
const DISCOVERY_TARGET = 1000;

async function tokensSection(): Promise<string> {
  const config = catalogConfig();
  // Per instance, as VS Code gets them: the tools' own names (VS Code adds mcp_<slug>_ itself).
  const perInstance = new Map<string, Listed>();
  for (const server of SERVERS) {
    for (const account of ACCOUNTS) perInstance.set(instanceKey(server, account), await listThrough(config, ['--instance', instanceKey(server, account), '--tool-prefix', 'none']));
    progress(`tokens: ${server} per instance`);
  }
  const sum = (keys: readonly string[]): { tools: number; tokens: number } =>
    keys.reduce((total, key) => ({ tools: total.tools + (perInstance.get(key)?.tools.length ?? 0), tokens: total.tokens + (perInstance.get(key)?.tokens ?? 0) }), { tools: 0, tokens: 0 });
  const one = sum(SERVERS.map((server) => instanceKey(server, ACCOUNTS[0])));
  const instances = sum([...perInstance.keys()]);
  const aggregate = await listThrough(config, [], instances.tools);
  progress('tokens: aggregate');
  const accounts = (await exposureAccepted('accounts')) ? await listThrough(config, ['--exposure', 'accounts'], one.tools) : undefined;
  progress(`tokens: accounts ${accounts === undefined ? 'not built' : 'measured'}`);
  let search = 0;
  let described = 0;
  const discovery = await listThrough(config, ['--exposure', 'discovery'], undefined, async (client) => {
    // Searched once every instance is up: a search that matches nothing says how many tools it searched.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const none = (await client.request('tools/call', { name: 'search_tools', arguments: { query: 'qqqqqq' } })) as { content: { text: string }[] };
      if (Number(/\((\d+) tools here\)/.exec(none.content[0]?.text ?? '')?.[1] ?? 0) >= instances.tools || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // One search and one description: what a model pays per tool it looks for, on top of the list.
    const found = (await client.request('tools/call', { name: 'search_tools', arguments: { query: 'read a file' } })) as { content: { text: string }[] };
    search = countTokens(found);
    const first = found.content[0]?.text.split(' — ')[0] ?? '';
    described = countTokens(await client.request('tools/call', { name: 'describe_tool', arguments: { name: first } }));
  });
  progress('tokens: discovery');
  const ratio = (tokens: number): string => `${format(tokens / one.tokens, 2)}×`;
  const row = (name: string, tools: number | string, tokens: number | undefined, target: string): string =>
    tokens === undefined ? `| ${name} | n/a (not built) | n/a (not built) | | ${target} |` : `| ${name} | ${tools} | ${tokens.toLocaleString('en-US')} | ${ratio(tokens)} | ${target} |`;
  const met = (ok: boolean): string => (ok ? 'met' : '**not met**');
  return [
    `Three servers from npm (server-everything, server-memory, server-filesystem) × three accounts each (${ACCOUNTS.join(', ')}). Tokens of the \`tools\` array of \`tools/list\` as JSON, o200k_base (\`gpt-tokenizer\`).`,
    '',
    '| exposure | tools | tokens | vs one account | target |',
    '| --- | --: | --: | --: | --- |',
    row('one account of each server (reference)', one.tools, one.tokens, ''),
    row('`instances` (the 9 per-instance lists, summed)', instances.tools, instances.tokens, ''),
    row('`aggregate` (one endpoint, prefixed names)', aggregate.tools.length, aggregate.tokens, ''),
    row('`accounts` (one tool per upstream tool, `account` parameter)', accounts?.tools.length ?? '', accounts?.tokens, `≤ ${ACCOUNTS_TARGET}× one account: ${accounts === undefined ? 'not built on this branch' : met(accounts.tokens <= ACCOUNTS_TARGET * one.tokens)}`),
    row('`discovery` (search, describe, call)', discovery.tools.length, discovery.tokens, `< ${DISCOVERY_TARGET.toLocaleString('en-US')} whatever the catalog: ${met(discovery.tokens < DISCOVERY_TARGET)}`),
    `| … plus one \`search_tools\` answer (10 results) | | ${search.toLocaleString('en-US')} | | per search |`,
    `| … plus one \`describe_tool\` answer | | ${described.toLocaleString('en-US')} | | per tool described |`,
  ].join('\n');
}

// ---- main ---------------------------------------------------------------------------------

function progress(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

/** Replaces what docs/BENCHMARKS.md holds between `<!-- NAME:begin -->` and `<!-- NAME:end -->`. */
function writeBetween(name: string, content: string): void {
  const doc = join(ROOT, 'docs', 'BENCHMARKS.md');
  const text = readFileSync(doc, 'utf8');
  const begin = `<!-- ${name}:begin -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(`<!-- ${name}:end -->`);
  if (from < 0 || to <= from) return;
  writeFileSync(doc, `${text.slice(0, from + begin.length)}\n${content}${text.slice(to)}`);
  progress(`wrote ${name} into ${doc}`);
}

function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${format(totalmem() / 1024 ** 3, 0)} GB, Node ${process.version}, ${process.platform}; load before the run ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

async function main(): Promise<void> {
  const head = [`Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine()}.`, `${ROUNDS} rounds, ${CALLS} calls per measurement; medians of rounds with [min–max].`];
  const sections: string[] = [];
  if (only.has('latency')) {
    await ensurePeers(progress);
    sections.push(`### tools/call (echo), sequential and 8 in flight\n\n${latencyTable(await latencySection())}`);
  }
  if (only.has('cold')) sections.push(`### Cold start\n\n${await coldSection()}`);
  if (only.has('memory')) sections.push(`### Memory each instance costs the host\n\n${await memorySection()}`);
  if (only.has('list')) sections.push(`### tools/list for 5,000 tools\n\n${await listSection()}`);
  if (only.has('payload')) sections.push(`### A 10 MB result\n\n${await payloadSection()}`);
  // Its own table and markers: a quick `--only tokens` run updates it without the others.
  const tokens = only.has('tokens') ? `${await tokensSection()}\n` : undefined;
  const session = only.has('session') ? `${await firstSessionSection(ROUNDS, BUILDS, progress)}\n` : undefined;
  head.push(`Load after the run ${loadavg().map((l) => l.toFixed(2)).join(' ')}.`);
  const report = `${head.join(' ')}\n\n${sections.join('\n\n')}\n`;
  process.stdout.write(`${sections.length > 0 ? report : ''}${tokens === undefined ? '' : `\n### The context cost of tools/list, per exposure\n\n${tokens}`}\n`);
  if (session !== undefined) process.stdout.write(`\n### A client's capabilities at the first session\n\n${session}\n`);
  if (values['no-write'] !== true) {
    if (SECTIONS.every((section) => only.has(section))) writeBetween('bench', report);
    if (tokens !== undefined) writeBetween('bench:tokens', `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.\n\n${tokens}`);
    if (session !== undefined) writeBetween('bench:session', `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine()}.\n\n${session}`);
  }
  rmSync(scratch, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
