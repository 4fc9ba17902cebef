/**
 * What a client's capabilities cost the first session of a multi-session endpoint. `serve
 * --socket` (`--http` alike) tells each upstream what its clients support (issue 14 item 6):
 * eager start tells it nothing, so a first client that announces sampling, elicitation and
 * roots (server-everything then lists tools that use them) has the upstream restarted before
 * it is served. Measured as socket activation meets it: spawn → the first client's full tool
 * list, interleaved per round with the same client announcing nothing.
 */
import { join } from 'node:path';
import { mcplexConfig, scratch } from './configs';
import { startServer, waitForListener } from './proc';
import { handshake, HttpRpc } from './rawClient';
import { format, formatSpread, spread } from './stats';

const RICH_CLIENT = { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } };
const CLIENTS = [
  { label: 'announcing nothing', capabilities: {} },
  { label: 'announcing sampling, elicitation, roots', capabilities: RICH_CLIENT },
] as const;

let sockets = 0;

/** Spawn → `tools/list` answered with tools, for one client announcing `capabilities`; ms and the tool count. */
async function firstSession(cli: string, capabilities: Record<string, unknown>): Promise<{ ms: number; tools: number }> {
  const socketPath = join(scratch, `first${sockets++}.sock`);
  const started = performance.now();
  const server = startServer(process.execPath, [cli, 'serve', '--config', mcplexConfig('everything', 1), '--socket', socketPath]);
  try {
    await waitForListener({ socketPath }, server.child);
    const client = new HttpRpc({ socketPath, path: '/mcp' });
    await handshake(client, capabilities);
    for (;;) {
      const { tools } = (await client.request('tools/list', {})) as { tools: unknown[] };
      if (tools.length > 0) {
        const ms = performance.now() - started;
        await client.close();
        return { ms, tools: tools.length };
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    await server.stop();
  }
}

/** `builds`: [tag, cli.js] pairs, the current build first (`--compare before=path`). */
export async function firstSessionSection(rounds: number, builds: readonly (readonly [string, string])[], progress: (line: string) => void): Promise<string> {
  const cases = builds.flatMap(([tag, cli]) => CLIENTS.map((client) => ({ label: `mcplex serve --socket${tag === '' ? '' : ` (${tag})`}, a client ${client.label}`, cli, client })));
  const samples = new Map(cases.map((c) => [c.label, { ms: [] as number[], tools: 0 }]));
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) {
      const { ms, tools } = await firstSession(c.cli, c.client.capabilities);
      const sample = samples.get(c.label)!;
      sample.ms.push(ms);
      sample.tools = tools;
    }
    progress(`first session round ${round + 1}/${rounds}`);
  }
  const lines = [
    '| spawn → the first client\'s full tool list, 1 × server-everything | ms | tools it sees | over a client announcing nothing, ms |',
    '| --- | --: | --: | --: |',
  ];
  for (const c of cases) {
    const { ms, tools } = samples.get(c.label)!;
    const bare = samples.get(c.label.replace(CLIENTS[1].label, CLIENTS[0].label))!;
    const over = c.client === CLIENTS[1] ? format(spread(ms).median - spread(bare.ms).median) : '';
    lines.push(`| ${c.label} | ${formatSpread(spread(ms))} | ${tools} | ${over} |`);
  }
  return lines.join('\n');
}
