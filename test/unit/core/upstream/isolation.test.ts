import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isolationEnv, launchEnvironment, prepareStateDir } from '../../../../src/core/upstream/isolation';

const parent = { HOME: '/home/me', PATH: '/usr/bin', UNSET: undefined };

describe('isolationEnv', () => {
  it('xdg: private XDG homes, HOME and TMPDIR untouched', () => {
    const env = isolationEnv(parent, '/s/work', { mode: 'xdg', share: [] }, 'linux');
    assert.equal(env['XDG_CONFIG_HOME'], '/s/work/home/.config');
    assert.equal(env['XDG_DATA_HOME'], '/s/work/home/.local/share');
    assert.equal(env['XDG_STATE_HOME'], '/s/work/home/.local/state');
    assert.equal(env['XDG_CACHE_HOME'], '/s/work/home/.cache');
    assert.equal(env['HOME'], undefined);
    assert.equal(env['TMPDIR'], undefined);
    assert.equal(env['APPDATA'], undefined);
  });

  it('home: also a private HOME and TMPDIR', () => {
    const env = isolationEnv(parent, '/s/work', { mode: 'home', share: [] }, 'linux');
    assert.equal(env['HOME'], '/s/work/home');
    assert.equal(env['TMPDIR'], '/s/work/tmp');
    assert.equal(env['XDG_CONFIG_HOME'], '/s/work/home/.config');
  });

  it('keeps npm, Playwright and uv on the user\'s own folders', () => {
    const env = isolationEnv(parent, '/s/work', { mode: 'home', share: [] }, 'linux');
    assert.equal(env['npm_config_cache'], '/home/me/.npm');
    assert.equal(env['npm_config_userconfig'], '/home/me/.npmrc');
    assert.equal(env['PLAYWRIGHT_BROWSERS_PATH'], '/home/me/.cache/ms-playwright');
    assert.equal(env['UV_CACHE_DIR'], '/home/me/.cache/uv');
    assert.equal(env['UV_TOOL_DIR'], '/home/me/.local/share/uv/tools');
    assert.equal(isolationEnv(parent, '/s', { mode: 'xdg', share: [] }, 'darwin')['PLAYWRIGHT_BROWSERS_PATH'], '/home/me/Library/Caches/ms-playwright');
  });

  it('keeps the user\'s own settings of those when set', () => {
    const own = {
      ...parent,
      npm_config_cache: '/c/npm',
      NPM_CONFIG_USERCONFIG: '/c/npmrc',
      PLAYWRIGHT_BROWSERS_PATH: '/c/pw',
      XDG_CACHE_HOME: '/c/cache',
      UV_TOOL_DIR: '/c/uvtools',
    };
    const env = isolationEnv(own, '/s', { mode: 'home', share: [] }, 'linux');
    assert.equal(env['npm_config_cache'], '/c/npm');
    assert.equal(env['npm_config_userconfig'], '/c/npmrc');
    assert.equal(env['PLAYWRIGHT_BROWSERS_PATH'], '/c/pw');
    assert.equal(env['UV_CACHE_DIR'], '/c/cache/uv');
    assert.equal(env['UV_TOOL_DIR'], '/c/uvtools');
    assert.equal(env['XDG_CACHE_HOME'], '/s/home/.cache');
  });

  it('Windows: APPDATA and LOCALAPPDATA, and with home USERPROFILE, TEMP and TMP', () => {
    const win = { USERPROFILE: 'C:\\Users\\me', LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' };
    const xdg = isolationEnv(win, 'C:\\s\\work', { mode: 'xdg', share: [] }, 'win32');
    assert.equal(xdg['APPDATA'], 'C:\\s\\work\\home\\AppData\\Roaming');
    assert.equal(xdg['LOCALAPPDATA'], 'C:\\s\\work\\home\\AppData\\Local');
    assert.equal(xdg['USERPROFILE'], undefined);
    assert.equal(xdg['npm_config_cache'], 'C:\\Users\\me\\AppData\\Local\\npm-cache');
    assert.equal(xdg['npm_config_userconfig'], 'C:\\Users\\me\\.npmrc');
    const home = isolationEnv(win, 'C:\\s\\work', { mode: 'home', share: [] }, 'win32');
    assert.equal(home['USERPROFILE'], 'C:\\s\\work\\home');
    assert.equal(home['TEMP'], 'C:\\s\\work\\tmp');
    assert.equal(home['TMP'], 'C:\\s\\work\\tmp');
  });
});

describe('launchEnvironment', () => {
  it('is the parent\'s plus the config\'s when nothing is isolated', () => {
    const env = launchEnvironment(parent, { A: '1' }, '/s', undefined, 'linux');
    assert.deepEqual(env, { HOME: '/home/me', PATH: '/usr/bin', A: '1' });
  });

  it('lets the config\'s env win over the isolation', () => {
    const env = launchEnvironment(parent, { HOME: '/mine', npm_config_cache: '/own' }, '/s', { mode: 'home', share: [] }, 'linux');
    assert.equal(env['HOME'], '/mine');
    assert.equal(env['npm_config_cache'], '/own');
    assert.equal(env['TMPDIR'], '/s/tmp');
    assert.equal(env['PATH'], '/usr/bin');
  });
});

describe('prepareStateDir', () => {
  it('creates the folder 0700 and the isolated folders, and links shared entries', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'mcplex-iso-'));
    const realHome = path.join(root, 'real');
    mkdirSync(path.join(realHome, '.ssh'), { recursive: true });
    writeFileSync(path.join(realHome, '.gitconfig'), '[user]\n');
    const stateDir = path.join(root, 'state', 'acme-1', 'memory', 'work');
    const isolate = { mode: 'home' as const, share: ['.gitconfig', '.ssh', '.absent'] };
    const env = launchEnvironment({ HOME: realHome }, {}, stateDir, isolate, process.platform);
    prepareStateDir(stateDir, isolate, env, { HOME: realHome });
    prepareStateDir(stateDir, isolate, env, { HOME: realHome }); // again: idempotent
    if (process.platform !== 'win32') assert.equal(statSync(stateDir).mode & 0o777, 0o700);
    assert.ok(statSync(path.join(stateDir, 'home', '.config')).isDirectory());
    assert.ok(statSync(path.join(stateDir, 'tmp')).isDirectory());
    assert.equal(readlinkSync(path.join(stateDir, 'home', '.gitconfig')), path.join(realHome, '.gitconfig'));
    assert.equal(readlinkSync(path.join(stateDir, 'home', '.ssh')), path.join(realHome, '.ssh'));
    assert.equal(lstatSync(path.join(stateDir, 'home', '.absent'), { throwIfNoEntry: false }), undefined);
  });

  it('keeps a private copy that is not a link', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'mcplex-iso-'));
    const realHome = path.join(root, 'real');
    mkdirSync(realHome);
    writeFileSync(path.join(realHome, '.gitconfig'), 'real');
    const stateDir = path.join(root, 'state');
    mkdirSync(path.join(stateDir, 'home'), { recursive: true });
    writeFileSync(path.join(stateDir, 'home', '.gitconfig'), 'private');
    const isolate = { mode: 'home' as const, share: ['.gitconfig'] };
    prepareStateDir(stateDir, isolate, launchEnvironment({ HOME: realHome }, {}, stateDir, isolate), { HOME: realHome });
    assert.equal(lstatSync(path.join(stateDir, 'home', '.gitconfig')).isSymbolicLink(), false);
  });
});
