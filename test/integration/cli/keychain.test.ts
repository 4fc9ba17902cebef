// The CLI's secrets in a real OS keychain: gnome-keyring's Secret Service on a private
// D-Bus session (test/helpers/keyringSession.ts), read back with Debian's secret-tool;
// `mcplex secret set|get|list|delete`, `serve` resolving ${secret:…} from it, the move out
// of an older 0600 file, and the file used (and said) when no D-Bus session runs.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runMcplex, runMcplexSigningIn, stdioClient, type CliResult } from '../../helpers/cli';
import { keyringToolsMissing, startKeyringSession, type KeyringSession } from '../../helpers/keyringSession';
import { alive } from '../../helpers/processes';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startOAuthServer } from '../../fixtures/oauth';
import { fixturePath } from '../../fixtures/servers';

const run = promisify(execFile);
const skip = keyringToolsMissing();
if (skip !== undefined) process.stderr.write(`keychain tests skipped: ${skip}\n`);

const SECRET = 'kc-secret-7f3a91';
const KEYCHAIN = 'the OS keychain (Secret Service), service "mcplex"';

/** `mcplex …` with `stdin` piped in, the store chosen as a user's would be (no MCPLEX_SECRET_STORE), sign-ins approved. */
function mcplex(args: readonly string[], env: Record<string, string>, stdin = ''): Promise<CliResult> {
  return runMcplexSigningIn(args, { env: { MCPLEX_SECRET_STORE: '', ...env }, stdin });
}

describe('CLI secrets in the OS keychain (gnome-keyring on a private D-Bus session)', { skip }, () => {
  let session: KeyringSession;
  let env: Record<string, string>;
  let storeFile: string;
  before(async () => {
    session = await startKeyringSession();
    storeFile = join(session.home, '.config', 'mcplex', 'secrets.json');
    env = { ...session.env, MCPLEX_SECRETS_FILE: storeFile };
  });
  after(async () => {
    const pids = session.pids;
    await session.stop();
    // The helper leaves no daemon behind.
    assert.deepEqual(pids.filter(alive), []);
  });

  it('set, get, list and delete a secret in the keychain, never in the file', async () => {
    const set = await mcplex(['secret', 'set', 'github-token'], env, `${SECRET}\n`);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stderr, /^mcplex: secrets are kept in the OS keychain \(Secret Service\)/m);
    assert.match(set.stderr, new RegExp(`^stored github-token in ${escape(KEYCHAIN)}$`, 'm'));
    assert.equal(set.stderr.includes(SECRET), false);
    assert.equal(await session.lookup('mcplex', 'github-token'), SECRET, 'secret-tool reads it from the keychain');
    assert.equal(existsSync(storeFile), false, 'nothing was written to the 0600 file');

    const get = await mcplex(['secret', 'get', 'github-token'], env);
    assert.equal(get.code, 0, get.stderr);
    assert.equal(get.stdout, `${SECRET}\n`);

    const list = await mcplex(['secret', 'list'], env);
    assert.equal(list.stdout, 'github-token\n');

    const deleted = await mcplex(['secret', 'delete', 'github-token'], env);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stderr, new RegExp(`deleted github-token from ${escape(KEYCHAIN)}`));
    assert.equal(await session.lookup('mcplex', 'github-token'), undefined);
    const missing = await mcplex(['secret', 'get', 'github-token'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, new RegExp(`no secret github-token in ${escape(KEYCHAIN)}`));
  });

  it('keeps a secret from the 0600 file readable, and set moves it into the keychain', async () => {
    const old = await mcplex(['secret', 'set', 'old-key', '--secret-store', 'file'], env, 'from-the-file\n');
    assert.equal(old.code, 0, old.stderr);
    assert.match(old.stderr, new RegExp(`stored old-key in ${escape(storeFile)}`));
    assert.equal(await session.lookup('mcplex', 'old-key'), undefined);

    const get = await mcplex(['secret', 'get', 'old-key'], env);
    assert.equal(get.stdout, 'from-the-file\n');
    assert.match(get.stderr, new RegExp(`note: old-key is read from ${escape(storeFile)}; \`mcplex secret set old-key\` moves it`));
    const list = await mcplex(['secret', 'list'], env);
    assert.equal(list.stdout, 'old-key\n');
    assert.match(list.stderr, /note: old-key is kept in .*secrets\.json/);

    const moved = await mcplex(['secret', 'set', 'old-key'], env, 'renewed-value\n');
    assert.equal(moved.code, 0, moved.stderr);
    assert.equal(await session.lookup('mcplex', 'old-key'), 'renewed-value');
    const file = readFileSync(storeFile, 'utf8');
    assert.equal(file.includes('old-key'), false, 'the copy in the file is gone');
    assert.equal(file.includes('from-the-file'), false);
    await mcplex(['secret', 'delete', 'old-key'], env);
  });

  it('keeps OAuth records in the keychain: signed in once, reused by a later run, none in the file', async () => {
    const oauth = await startOAuthServer();
    const dir = mkdtempSync(join(tmpdir(), 'mcplex-keychain-oauth-'));
    try {
      const config = join(dir, '.mcplex.jsonc');
      writeFileSync(config, JSON.stringify({ servers: { fixture: { url: oauth.mcpUrl, transport: 'http', auth: { type: 'oauth' }, instances: { work: {} } } } }));
      const signIn = await mcplex(['list', '--config', config], { ...env, MCPLEX_NO_BROWSER: '1' });
      assert.equal(signIn.code, 0, signIn.stderr);
      assert.match(signIn.stderr, /fixture\/work needs you to sign in/);
      assert.equal((await mcplex(['secret', 'list', '--oauth'], env)).stdout, 'fixture/work\n');
      // secret-tool prints the secret on stdout and the attributes on stderr.
      const { stderr: attributes } = await run('secret-tool', ['search', '--all', 'service', 'mcplex.oauth'], { env: { ...process.env, ...session.env } });
      assert.match(attributes, /attribute\.username = mcplex\.oauth\/fixture\/work\/[^\n]*\/tokens/);
      // (An earlier test may have left the file, holding no OAuth record.)
      assert.equal(existsSync(storeFile) && readFileSync(storeFile, 'utf8').includes('mcplex.oauth'), false, 'no OAuth record in the 0600 file');

      // A later run finds its tokens in the keychain: no new sign-in.
      const again = await mcplex(['list', '--config', config], { ...env, MCPLEX_OAUTH_INTERACTIVE: '0' });
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /work__whoami/);
      assert.equal((await oauth.stats()).authorizations, 1);

      assert.equal((await mcplex(['secret', 'delete', '--oauth', 'fixture/work'], env)).code, 0);
      assert.equal((await mcplex(['secret', 'list', '--oauth'], env)).stdout, '');
    } finally {
      await oauth.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serve resolves ${secret:…} from the keychain for its upstream', async () => {
    const set = await mcplex(['secret', 'set', 'ledger-variant'], env, `${SECRET}\n`);
    assert.equal(set.code, 0, set.stderr);
    const dir = mkdtempSync(join(tmpdir(), 'mcplex-keychain-serve-'));
    try {
      const config = join(dir, '.mcplex.jsonc');
      const ledger = `"command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(fixturePath('ledger'))}]`;
      writeFileSync(config, `{ "servers": { "ledger": { ${ledger}, "instances": { "work": { "env": { "LEDGER_VARIANT": "\${secret:ledger-variant}" } } } } } }\n`);
      const client = await stdioClient(['serve', '--config', config, '--instance', 'ledger/work'], { ...env, MCPLEX_SECRET_STORE: '' });
      try {
        const { tools } = await client.listTools();
        const read = tools.find((tool) => tool.name.endsWith('read_entries'));
        // The ledger appends LEDGER_VARIANT to its descriptions: the value reached the upstream.
        assert.match(read?.description ?? '', new RegExp(`^Lists the ledger's entries\\. ${SECRET}\n`));
      } finally {
        await client.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await mcplex(['secret', 'delete', 'ledger-variant'], env);
    }
  });
});

describe('CLI secrets where no keychain runs', () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'mcplex-no-keychain-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  /** No session bus: none named, and none at $XDG_RUNTIME_DIR/bus (an empty folder). */
  const noBus = (): Record<string, string> => ({ HOME: home, XDG_RUNTIME_DIR: home, DBUS_SESSION_BUS_ADDRESS: '', MCPLEX_SECRETS_FILE: join(home, 'secrets.json') });

  it('keeps secrets in the 0600 file and says why', async () => {
    const set = await mcplex(['secret', 'set', 'api-key'], noBus(), `${SECRET}\n`);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stderr, /^mcplex: secrets are kept in the 0600 file .*secrets\.json: the OS keychain \(Secret Service\) does not answer \(.+\)$/m);
    assert.match(set.stderr, /^stored api-key in .*secrets\.json$/m);
    assert.equal(JSON.parse(readFileSync(join(home, 'secrets.json'), 'utf8')).secrets['api-key'], SECRET);
    const get = await mcplex(['secret', 'get', 'api-key'], noBus());
    assert.equal(get.stdout, `${SECRET}\n`);
  });

  it('refuses, exit 2, when the keychain is asked for by name', async () => {
    const result = await mcplex(['secret', 'list'], { ...noBus(), MCPLEX_SECRET_STORE: 'keychain' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /MCPLEX_SECRET_STORE asks for the OS keychain, but the OS keychain \(Secret Service\) does not answer/);
  });

  it('says nothing about stores in a run that reads no secret', async () => {
    const config = join(home, '.mcplex.jsonc');
    writeFileSync(config, `{ "servers": { "ledger": { "command": "node", "args": ["ledger.mjs"], "instances": { "work": { "env": { "LEDGER_VARIANT": "plain" } } } } } }\n`);
    const result = await runMcplex(['check', '--config', config], { env: { ...noBus(), MCPLEX_SECRET_STORE: '' } });
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /secrets are kept/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
