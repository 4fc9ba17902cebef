import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  describeRemoteFailure,
  describeStdioFailure,
  displayUrl,
} from '../../../../src/core/upstream/describeFailure';
import { REDACTED } from '../../../../src/core/redaction';
import { ProcessExitedError, ProcessStartError, UpstreamTimeoutError } from '../../../../src/core/upstream/errors';

describe('describeStdioFailure', () => {
  it('uses the reason of a start error, which does not repeat the command', () => {
    const error = new ProcessStartError('npx', 'command not found (ENOENT)', 'command "npx" not found (ENOENT)');
    assert.equal(describeStdioFailure(error, undefined, ['ignored']), 'command not found (ENOENT)');
  });

  it('says how the process exited and shows its last stderr lines', () => {
    const exited = new ProcessExitedError(3, null, ['first', 'missing API key']);
    const why = describeStdioFailure(new Error('Connection closed'), exited, []);
    assert.match(why, /^the process exited with code 3 before the MCP handshake finished/);
    assert.match(why, /\n {2}first\n {2}missing API key$/);
  });

  it('names the signal of a killed process', () => {
    const exited = new ProcessExitedError(null, 'SIGKILL', []);
    assert.equal(describeStdioFailure(new Error('x'), exited, []), 'the process was killed by SIGKILL before the MCP handshake finished');
  });

  it('keeps only the last 10 stderr lines of a timeout', () => {
    const tail = Array.from({ length: 30 }, (_, index) => `line ${index}`);
    const why = describeStdioFailure(new UpstreamTimeoutError(500), undefined, tail);
    assert.match(why, /^no answer to initialize within 500 ms; its last stderr lines:/);
    assert.ok(why.includes('line 29') && why.includes('line 20') && !why.includes('line 19'));
  });
});

describe('describeRemoteFailure', () => {
  it('adds the system error code of a refused fetch (undici nests it in an AggregateError)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const error = new TypeError('fetch failed', { cause: new AggregateError([refused]) });
    assert.equal(describeRemoteFailure(error, {}), 'fetch failed (ECONNREFUSED)');
  });

  it('hides every header value that appears in the message', () => {
    const error = new Error('Error POSTing to endpoint: rejected authorization: Bearer sk-live-123, key=k-999');
    const why = describeRemoteFailure(error, { Authorization: 'Bearer sk-live-123', 'X-Key': 'k-999', Short: 'on' });
    assert.equal(why, `Error POSTing to endpoint: rejected authorization: ${REDACTED}, key=${REDACTED}`);
  });
});

describe('displayUrl', () => {
  it('drops user info, query and fragment, which may hold credentials', () => {
    assert.equal(displayUrl(new URL('https://user:pw@example.com:8443/mcp?api_key=s3cret#x')), 'https://example.com:8443/mcp');
  });
});
