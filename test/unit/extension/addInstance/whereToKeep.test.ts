// The rule that decides whether the wizard asks where a value lives (SecretStorage or the
// file): never for a path or what is plainly no credential, always for a credential's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksWhereToKeep, looksSecret } from '../../../../src/extension/addInstance/whereToKeep';

test('a value that is a place on disk is written into the file without asking', () => {
  for (const [key, value] of [
    ['MEMORY_FILE_PATH', '/data/personal.json'],
    ['MEMORY_FILE_PATH', 'relative/anything.json'], // the name says it is a path
    ['KEY_FILE', '/home/me/.ssh/id_work'], // a key's file, not the key
    ['DATA_DIR', '${instanceDir}/data'],
    ['NOTES', '~/notes'],
    ['NOTES', './notes'],
    ['NOTES', '../shared/notes'],
    ['NOTES', 'C:\\Users\\me\\notes'],
    ['NOTES', '${workspaceFolder}/notes'],
    ['NOTES', '${userHome}'],
  ]) {
    assert.equal(asksWhereToKeep(key ?? '', value ?? ''), false, `${key}=${value}`);
  }
});

test('a plain URL, a number or a boolean is no credential', () => {
  assert.equal(asksWhereToKeep('BASE_URL', 'https://api.example.com/v1'), false);
  assert.equal(asksWhereToKeep('PORT', '8080'), false);
  assert.equal(asksWhereToKeep('READ_ONLY', 'true'), false);
});

test('a credential\'s name, a URL that carries one, or a bare word is asked', () => {
  assert.equal(asksWhereToKeep('GITHUB_TOKEN', '/starts-with-a-slash'), true, 'a token may start with "/"');
  assert.equal(asksWhereToKeep('API_KEY', '12345'), true);
  assert.equal(asksWhereToKeep('GOOGLE_APPLICATION_CREDENTIALS', '/creds.json'), true, 'a credential name wins over a path-looking value');
  assert.equal(asksWhereToKeep('WEBHOOK', 'https://user:pass@example.com/'), true);
  assert.equal(asksWhereToKeep('WEBHOOK', 'https://example.com/hook?sig=abc'), true);
  assert.equal(asksWhereToKeep('ACCOUNT', 'work'), true, 'a word may be a password under a bland name');
  assert.equal(asksWhereToKeep('NOTES', '/a path with spaces'), true);
  assert.equal(asksWhereToKeep('ACCOUNT', '/data/x', true), true, 'what it replaces was a secret or an input');
});

test('a name that says it holds a place is not secret-looking, so its box does not hide what is typed', () => {
  assert.equal(looksSecret('GITHUB_TOKEN'), true);
  assert.equal(looksSecret('Authorization'), true);
  assert.equal(looksSecret('KEY_FILE'), false);
  assert.equal(looksSecret('TOKEN_PATH'), false);
  assert.equal(looksSecret('MEMORY_FILE_PATH'), false);
});
