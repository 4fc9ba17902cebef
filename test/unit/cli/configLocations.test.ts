// Where the CLI looks for its configuration: the user's file per platform, and the upward
// search for .mcplex.jsonc with where it stops.
import assert from 'node:assert/strict';
import { posix, win32 } from 'node:path';
import { describe, it } from 'node:test';
import { folderConfigCandidates, userConfigPath } from '../../../src/cli/configLocations';

describe('userConfigPath', () => {
  it('is $XDG_CONFIG_HOME/mcplex/config.jsonc, else ~/.config/mcplex/config.jsonc; a relative XDG_CONFIG_HOME is ignored', () => {
    assert.equal(userConfigPath({ XDG_CONFIG_HOME: '/x/conf' }, '/home/u', 'linux'), '/x/conf/mcplex/config.jsonc');
    assert.equal(userConfigPath({}, '/home/u', 'linux'), '/home/u/.config/mcplex/config.jsonc');
    assert.equal(userConfigPath({ XDG_CONFIG_HOME: '' }, '/home/u', 'darwin'), '/home/u/.config/mcplex/config.jsonc');
    assert.equal(userConfigPath({ XDG_CONFIG_HOME: 'conf' }, '/home/u', 'linux'), '/home/u/.config/mcplex/config.jsonc');
  });

  it('on Windows is %APPDATA%\\mcplex\\config.jsonc (spaces kept), unless XDG_CONFIG_HOME is set', () => {
    assert.equal(userConfigPath({ APPDATA: 'C:\\Users\\Jo Doe\\AppData\\Roaming' }, 'C:\\Users\\Jo Doe', 'win32'), 'C:\\Users\\Jo Doe\\AppData\\Roaming\\mcplex\\config.jsonc');
    assert.equal(userConfigPath({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming', XDG_CONFIG_HOME: 'D:\\conf' }, 'C:\\Users\\u', 'win32'), 'D:\\conf\\mcplex\\config.jsonc');
    // Not Windows: APPDATA (set by wine, by a copied environment) means nothing.
    assert.equal(userConfigPath({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, '/home/u', 'linux'), '/home/u/.config/mcplex/config.jsonc');
  });
});

describe('folderConfigCandidates', () => {
  it('inside the home folder: the current folder, then each parent, ending with the home folder', () => {
    assert.deepEqual(folderConfigCandidates('/home/u/code/app/src', '/home/u', posix), [
      '/home/u/code/app/src/.mcplex.jsonc',
      '/home/u/code/app/.mcplex.jsonc',
      '/home/u/code/.mcplex.jsonc',
      '/home/u/.mcplex.jsonc',
    ]);
    assert.deepEqual(folderConfigCandidates('/home/u', '/home/u/', posix), ['/home/u/.mcplex.jsonc']);
  });

  it('outside the home folder: up to the root; a folder beside home (/home/u2) is not inside it', () => {
    assert.deepEqual(folderConfigCandidates('/srv/app', '/home/u', posix), ['/srv/app/.mcplex.jsonc', '/srv/.mcplex.jsonc', '/.mcplex.jsonc']);
    assert.deepEqual(folderConfigCandidates('/home/u2/app', '/home/u', posix), ['/home/u2/app/.mcplex.jsonc', '/home/u2/.mcplex.jsonc', '/home/.mcplex.jsonc', '/.mcplex.jsonc']);
  });

  it('on Windows: ends at the profile folder, whatever the letter case, or at the drive root', () => {
    assert.deepEqual(folderConfigCandidates('c:\\users\\jo\\app', 'C:\\Users\\Jo', win32), ['c:\\users\\jo\\app\\.mcplex.jsonc', 'c:\\users\\jo\\.mcplex.jsonc']);
    assert.deepEqual(folderConfigCandidates('D:\\work\\app', 'C:\\Users\\Jo', win32), ['D:\\work\\app\\.mcplex.jsonc', 'D:\\work\\.mcplex.jsonc', 'D:\\.mcplex.jsonc']);
  });
});
