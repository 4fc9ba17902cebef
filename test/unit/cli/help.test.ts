import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { helpText } from '../../../src/cli/help';
import { DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_IDLE_MS } from '../../../src/core/host';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../../src/core/wire';

describe('mcplex help serve', () => {
  const text = helpText('serve');

  it('names --exit-when-idle in the usage and says it is not for stdio', () => {
    assert.match(text, /\[--exit-when-idle SECONDS\]/);
    assert.match(text, /--exit-when-idle SECONDS, mcplex ends once no\s+session has been open that long/);
    assert.match(text, /not with stdio/);
  });

  it('states the defaults the host and the transports use', () => {
    assert.match(text, new RegExp(`--session-idle-timeout seconds \\(default ${DEFAULT_SESSION_IDLE_MS / 1000};`));
    assert.match(text, new RegExp(`\\(default ${DEFAULT_MAX_SESSIONS}; a new one`));
    assert.match(text, new RegExp(`--max-message-mb MiB \\(default ${DEFAULT_MAX_MESSAGE_BYTES / 1024 / 1024}\\)`));
  });

  it('says how mcplex ends', () => {
    for (const way of ['SIGINT', 'SIGTERM', 'SIGHUP', 'unexpected error', 'closing\nstdin', 'parent process going away']) assert.ok(text.includes(way), way);
  });
});

describe('mcplex help for the commands that read secrets', () => {
  for (const command of ['check', 'list', 'serve', 'wrap', 'pin', 'audit']) {
    it(`${command} names --secret-store`, () => {
      assert.ok(helpText(command).includes('--secret-store keychain|file'), helpText(command));
    });
  }
});
