// Credentials in a real VS Code (issue 7) and the served schema (issue 6's leftover).
// A workspace whose instance takes `${secret:echo-work-key}` in its env: the MCPlex view
// says "needs a secret"; "MCPlex: Set Secret" from the palette, the value typed into the
// password box; the instance runs and VS Code sees its tool. The file starts as "MCPlex:
// Create Configuration" writes it, with `$schema` on the extension's own scheme: the
// hover on "servers" shows the schema's description and the Problems panel has no
// "Unable to load schema". Afterwards every file of the run (code-server's user data and
// logs, the extensions folder, chromium's profile, the workspace) is searched for the
// secret value, as UTF-8 and as UTF-16: it must be nowhere.
// Platform fact (code-server 4.139.1): its browser workbench has no secretStorageProvider,
// so VS Code's SecretStorage there is in memory (BrowserSecretStorageService passes
// useInMemoryStorage): a secret lives as long as the window and is never on disk, which
// is why no file needs excluding. Desktop VS Code encrypts it into state.vscdb.
// Run: npm run build && node --import tsx --test test/e2e/credentials.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { addServer, newConfigText, SCHEMA_URL } from '../../src/core/edit';
import { assignSlugs } from '../../src/core/naming';
import { provision, REPO_ROOT } from './lib/environment';
import { packageExtension } from './lib/mcplexVsix';
import { mcpToolNames, packageProbe } from './lib/probe';
import { ProbeChannel } from './lib/probeChannel';
import { VsCodeSession } from './lib/vsCodeSession';
import { problemRows, texts, waitForView } from './lib/workbenchViews';

const ECHO_SERVER = join(REPO_ROOT, 'test', 'fixtures', 'servers', 'echo.mjs');
const SECRET_NAME = 'echo-work-key';
const TREE_ROWS = '.part.sidebar .monaco-list-row';
/** The start of the schema's description of `servers` (schemas/mcplex.schema.json). */
const SERVERS_DESCRIPTION = 'Server id → server.';
/** What created files named before: a made-up web address VS Code cannot load. */
const LEGACY_SCHEMA_URL = 'https://mcplex.dev/schemas/mcplex.schema.json';

/** Exactly what "MCPlex: Create Configuration" writes, plus one server whose instance needs a secret. */
function configText(): string {
  return addServer(newConfigText(), 'echo', {
    label: 'Echo',
    command: 'node',
    args: [ECHO_SERVER],
    instances: { work: { label: 'Work', env: { API_KEY: `\${secret:${SECRET_NAME}}` } } },
  });
}

/** Every file under `dir` that holds `needle` as UTF-8 or UTF-16LE text (binary files included). */
function filesContaining(dir: string, needle: string): string[] {
  const patterns = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')];
  const found: string[] = [];
  const walk = (path: string): void => {
    let info;
    try {
      info = statSync(path);
    } catch {
      return; // gone meanwhile (a lock file)
    }
    if (info.isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
      return;
    }
    if (!info.isFile()) return;
    const bytes = readFileSync(path);
    if (patterns.some((pattern) => bytes.includes(pattern))) found.push(path);
  };
  walk(dir);
  return found;
}

/** Every file under `dir` (for the report: how much was searched). */
function countFiles(dir: string): number {
  let count = 0;
  const walk = (path: string): void => {
    const info = statSync(path, { throwIfNoEntry: false });
    if (info?.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else if (info?.isFile()) count += 1;
  };
  walk(dir);
  return count;
}

async function runCommandWhenReady(session: VsCodeSession, title: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await session.runCommand(title);
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await session.page.keyboard.press('Escape');
      await sleep(1_000);
    }
  }
}

test('a ${secret:…} is asked for through the palette, never lands in a file, and the served schema loads', { timeout: 300_000 }, async () => {
  const environment = await provision();
  const root = mkdtempSync(join(tmpdir(), 'mcplex-credentials-e2e-'));
  const began = Date.now();
  const secret = `mcplex-e2e-secret-${randomBytes(12).toString('hex')}`;
  let session: VsCodeSession | undefined;
  let runDir: string | undefined;
  try {
    const workspace = join(root, 'creds');
    mkdirSync(workspace);
    const text = configText();
    assert.ok(text.includes(`"$schema": "${SCHEMA_URL}"`), text);
    writeFileSync(join(workspace, '.mcplex.jsonc'), text);
    // The control: a `$schema` VS Code cannot load (the address files said before) warns in this setup.
    writeFileSync(join(workspace, 'legacy.json'), `{\n  "$schema": "${LEGACY_SCHEMA_URL}",\n  "servers": {}\n}\n`);
    const probeOutput = join(root, 'probe.json');
    const vsixFiles = await Promise.all([packageExtension(root), packageProbe(root)]);
    session = await VsCodeSession.start({
      workspace,
      vsixFiles,
      environment,
      // Start everything once at activation (the instance cannot: its secret is missing).
      settings: { 'mcplexProbe.output': probeOutput, 'mcplexProbe.expectMcpTools': 0 },
    });
    runDir = session.profile.runDir;
    const page = session.page;
    const probe = new ProbeChannel(session, probeOutput);
    const first = await probe.first();
    assert.deepEqual(first.providerExtensions.map((extension) => [extension.id, extension.active]), [['mcplex.mcplex', true]]);
    assert.deepEqual(mcpToolNames(first), [], 'no tool while the secret is missing');

    // The MCPlex view: the instance waits for its secret.
    await runCommandWhenReady(session, 'View: Show MCPlex');
    const waiting = await waitForView(() => texts(page, TREE_ROWS), (rows) => rows.some((row) => row.startsWith('Work') && row.includes('needs a secret')), 'the MCPlex view does not say "needs a secret"', 30_000);
    process.stderr.write(`MCPlex view before: ${JSON.stringify(waiting)}\n`);
    await session.screenshot('e2e-credentials-needs-secret');

    // "MCPlex: Set Secret": pick the name, type the value into the password box.
    await runCommandWhenReady(session, 'MCPlex: Set Secret');
    const names = await session.waitForQuickPickRow((row) => row.includes(SECRET_NAME));
    process.stderr.write(`Set Secret offers: ${JSON.stringify(names)}\n`);
    assert.ok(names[0]?.includes('not set'), JSON.stringify(names));
    await page.keyboard.press('Enter');
    const box = page.locator('.quick-input-widget .quick-input-box input');
    await waitForView(async () => box.getAttribute('type', { timeout: 1_000 }), (type) => type === 'password', 'the value is not asked in a password box');
    await page.keyboard.type(secret);
    await page.keyboard.press('Enter');

    // The instance runs, and VS Code has its tool.
    const running = await waitForView(() => texts(page, TREE_ROWS), (rows) => rows.some((row) => row.startsWith('Work') && row.includes('running')), 'the instance does not run after its secret was set', 60_000);
    process.stderr.write(`MCPlex view after: ${JSON.stringify(running)}\n`);
    const slug = assignSlugs([{ key: 'echo/work', serverId: 'echo', instanceId: 'work' }]).get('echo/work') ?? '';
    const expected = `mcp_${slug}_echo`;
    const report = await probe.until((candidate) => mcpToolNames(candidate).includes(expected), (candidate) => JSON.stringify(mcpToolNames(candidate)), 60_000);
    assert.deepEqual(mcpToolNames(report), [expected]);
    await session.screenshot('e2e-credentials-running');

    // The schema: served by the extension, it loads (hover) and nothing warns about it.
    await runCommandWhenReady(session, 'Go to File...');
    await page.keyboard.type('.mcplex.jsonc');
    await session.waitForQuickPickRow((row) => row.includes('.mcplex.jsonc'));
    await page.keyboard.press('Enter');
    const line = text.split('\n').findIndex((candidate) => candidate.includes('"servers"')) + 1;
    const column = text.split('\n')[line - 1]?.indexOf('servers') ?? 0;
    await runCommandWhenReady(session, 'Go to Line/Column...');
    await page.keyboard.type(`${line}:${column + 2}`);
    await page.keyboard.press('Enter');
    const hover = await waitForView(
      async () => {
        await runCommandWhenReady(session!, 'Show or Focus Hover');
        await sleep(500);
        return texts(page, '.monaco-hover');
      },
      (found) => found.some((entry) => entry.includes(SERVERS_DESCRIPTION)),
      'the hover on "servers" does not show the schema\'s description',
      45_000,
    );
    process.stderr.write(`hover: ${JSON.stringify(hover)}\n`);
    await page.keyboard.press('Escape');
    await runCommandWhenReady(session, 'Go to File...');
    await page.keyboard.type('legacy.json');
    await session.waitForQuickPickRow((row) => row.includes('legacy.json'));
    await page.keyboard.press('Enter');
    await runCommandWhenReady(session, 'Problems: Focus on Problems View');
    // The control's warning shows up; by then .mcplex.jsonc (opened first) has long been validated.
    const problems = await waitForView(() => problemRows(page), (rows) => rows.some((row) => row.includes('Unable to load schema')), 'the control file\'s schema warning does not show, so an absent warning would prove nothing', 45_000);
    process.stderr.write(`Problems panel: ${JSON.stringify(problems)}\n`);
    const schemaProblems = problems.filter((row) => /schema/i.test(row));
    assert.ok(schemaProblems.every((row) => row.includes(LEGACY_SCHEMA_URL)), `a schema problem other than the control's: ${JSON.stringify(schemaProblems)}`);
    assert.ok(!problems.some((row) => row.includes(SCHEMA_URL)), JSON.stringify(problems));
    await session.screenshot('e2e-credentials-schema');
  } finally {
    const keep = process.env['MCPLEX_E2E_KEEP'];
    // Keep the run's files past close() (VS Code flushes its state on the way out), search them, then remove them.
    process.env['MCPLEX_E2E_KEEP'] = '1';
    try {
      await session?.close();
    } finally {
      if (keep === undefined) delete process.env['MCPLEX_E2E_KEEP'];
      else process.env['MCPLEX_E2E_KEEP'] = keep;
    }
    try {
      if (runDir !== undefined) {
        const searched = [runDir, join(root, 'creds')];
        const hits = searched.flatMap((dir) => filesContaining(dir, secret));
        const logs = join(runDir, 'user-data', 'logs');
        const ourLogs = filesContaining(logs, SECRET_NAME);
        process.stderr.write(
          `searched ${searched.map((dir) => `${countFiles(dir)} files under ${dir}`).join(' and ')} for the secret value: ` +
            `${hits.length === 0 ? 'not found' : JSON.stringify(hits.map((hit) => relative(root, hit)))}; ` +
            `log files naming the secret: ${JSON.stringify(ourLogs.map((hit) => relative(runDir!, hit)))}\n`,
        );
        assert.ok(ourLogs.length > 0, 'the MCPlex log (which names the secret when it changes) was searched');
        assert.deepEqual(hits, [], 'the secret value is written nowhere');
      }
    } finally {
      if (keep !== '1') {
        if (runDir !== undefined) rmSync(runDir, { recursive: true, force: true });
        rmSync(root, { recursive: true, force: true });
      }
      process.stderr.write(`credentials e2e timings (ms): ${JSON.stringify({ total: Date.now() - began, session: session?.timings })}\n`);
    }
  }
});
