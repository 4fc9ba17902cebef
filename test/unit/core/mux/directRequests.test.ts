// The relay's direct forwarding beside the SDK's Protocol: answers to its own ids stop at
// the channel, everything else reaches the Client; errors, aborts and a closed connection
// behave as `Client.request` does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { Cancellation } from '../../../../src/core/wire/cancellation';
import { DirectChannel } from '../../../../src/core/mux/directRequests';
import { RawJson } from '../../../../src/core/wire/rawJson';

function fakeTransport(): { transport: Transport; sent: JSONRPCMessage[]; passedOn: JSONRPCMessage[]; closed: () => number } {
  const sent: JSONRPCMessage[] = [];
  const passedOn: JSONRPCMessage[] = [];
  let closes = 0;
  const transport: Transport = {
    start: async () => undefined,
    close: async () => undefined,
    send: async (message) => void sent.push(message),
    onmessage: (message) => void passedOn.push(message),
    onclose: () => void closes++,
  };
  return { transport, sent, passedOn, closed: () => closes };
}

const never = new AbortController().signal;

describe('DirectChannel', () => {
  it('sends under its own string id and resolves with the raw result, untouched', async () => {
    const { transport, sent, passedOn } = fakeTransport();
    const channel = new DirectChannel(transport);
    const pending = channel.request('tools/call', { name: 'echo', arguments: { message: 'hi' } }, { signal: never, timeoutMs: 10_000 });
    const request = sent[0] as { id: string; method: string; params: unknown };
    assert.equal(request.method, 'tools/call');
    assert.match(request.id, /^mcplex-\d+$/);
    const result = { content: [{ type: 'text', text: 'hi' }], extra: { kept: true } };
    transport.onmessage?.({ jsonrpc: '2.0', id: request.id, result } as JSONRPCMessage);
    assert.equal(await pending, result);
    assert.deepEqual(passedOn, [], 'the Client never sees the answer to a direct request');
  });

  it('passes every other message on to the Client (its numeric ids, notifications, requests)', () => {
    const { transport, passedOn } = fakeTransport();
    new DirectChannel(transport);
    const messages = [
      { jsonrpc: '2.0', id: 3, result: {} },
      { jsonrpc: '2.0', method: 'notifications/tools/list_changed' },
      { jsonrpc: '2.0', id: 'mcplex-1', method: 'sampling/createMessage', params: {} },
    ] as JSONRPCMessage[];
    for (const message of messages) transport.onmessage?.(message);
    assert.deepEqual(passedOn, messages);
  });

  it('rejects with the upstream error as an McpError keeping code and data', async () => {
    const { transport, sent } = fakeTransport();
    const pending = new DirectChannel(transport).request('tools/call', {}, { signal: never, timeoutMs: 10_000 });
    const id = (sent[0] as { id: string }).id;
    transport.onmessage?.({ jsonrpc: '2.0', id, error: { code: -32602, message: 'Unknown tool', data: { hint: 1 } } } as JSONRPCMessage);
    await assert.rejects(pending, (error: unknown) => error instanceof McpError && error.code === -32602 && (error.data as { hint: number }).hint === 1);
  });

  it('on abort tells the upstream (notifications/cancelled with its id) and rejects', async () => {
    const { transport, sent } = fakeTransport();
    const controller = new AbortController();
    const pending = new DirectChannel(transport).request('tools/call', {}, { signal: controller.signal, timeoutMs: 10_000 });
    const id = (sent[0] as { id: string }).id;
    controller.abort(new Error('client cancelled'));
    await assert.rejects(pending, /client cancelled/);
    assert.deepEqual(sent[1], { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'Error: client cancelled' } });
  });

  it('rejects in-flight and later requests with ConnectionClosed when the transport closes, and still closes the Client', async () => {
    const { transport, closed } = fakeTransport();
    const channel = new DirectChannel(transport);
    const pending = channel.request('tools/call', {}, { signal: never, timeoutMs: 10_000 });
    transport.onclose?.();
    await assert.rejects(pending, (error: unknown) => error instanceof McpError && error.code === ErrorCode.ConnectionClosed);
    await assert.rejects(channel.request('tools/call', {}, { signal: never, timeoutMs: 10_000 }), (error: unknown) => error instanceof McpError && error.code === ErrorCode.ConnectionClosed);
    assert.equal(closed(), 1);
  });

  it('times out with RequestTimeout and cancels upstream', async () => {
    const { transport, sent } = fakeTransport();
    const pending = new DirectChannel(transport).request('tools/call', {}, { signal: never, timeoutMs: 20 });
    await assert.rejects(pending, (error: unknown) => error instanceof McpError && error.code === ErrorCode.RequestTimeout);
    assert.equal((sent[1] as { method: string }).method, 'notifications/cancelled');
  });

  it('times a short request out on time while a long one waits on the same channel', async () => {
    const { transport, sent } = fakeTransport();
    const channel = new DirectChannel(transport);
    const long = channel.request('tools/call', {}, { signal: never, timeoutMs: 60_000 });
    const started = Date.now();
    await assert.rejects(channel.request('tools/call', {}, { signal: never, timeoutMs: 40 }), (error: unknown) => error instanceof McpError && error.code === ErrorCode.RequestTimeout);
    const waited = Date.now() - started;
    assert.ok(waited >= 40 && waited < 1000, `timed out after ${waited} ms, not near its 40 ms`);
    // The long request is still waiting, and is answered normally.
    const longId = (sent[0] as { id: string }).id;
    transport.onmessage?.({ jsonrpc: '2.0', id: longId, result: { ok: true } } as JSONRPCMessage);
    assert.deepEqual(await long, { ok: true });
  });

  it('takes a Cancellation as its signal: cancelling tells the upstream once and rejects with the reason', async () => {
    const { transport, sent } = fakeTransport();
    const cancellation = new Cancellation();
    const pending = new DirectChannel(transport).request('tools/call', {}, { signal: cancellation, timeoutMs: 10_000 });
    cancellation.abort(new Error('session closed'));
    cancellation.abort(new Error('again'));
    await assert.rejects(pending, /session closed/);
    assert.equal(sent.filter((message) => (message as { method?: string }).method === 'notifications/cancelled').length, 1);
  });

  it('an answer after the call settled leaves the Cancellation without listeners', async () => {
    const { transport, sent } = fakeTransport();
    const cancellation = new Cancellation();
    const pending = new DirectChannel(transport).request('tools/call', {}, { signal: cancellation, timeoutMs: 10_000 });
    transport.onmessage?.({ jsonrpc: '2.0', id: (sent[0] as { id: string }).id, result: {} } as JSONRPCMessage);
    await pending;
    cancellation.abort(new Error('late'));
    assert.equal(sent.length, 1, 'no cancellation is sent for a request already answered');
  });
});

describe('Cancellation', () => {
  it('calls each listener once, in order, and never one added after the abort or removed before it', () => {
    const cancellation = new Cancellation();
    const calls: string[] = [];
    const removed = (): void => void calls.push('removed');
    cancellation.addEventListener('abort', () => calls.push('first'));
    cancellation.addEventListener('abort', removed);
    cancellation.addEventListener('abort', () => calls.push('second'));
    cancellation.removeEventListener('abort', removed);
    assert.equal(cancellation.aborted, false);
    cancellation.abort('why');
    cancellation.abort('twice');
    cancellation.addEventListener('abort', () => calls.push('late'));
    assert.deepEqual(calls, ['first', 'second']);
    assert.equal(cancellation.aborted, true);
    assert.equal(cancellation.reason, 'why');
  });
});

describe('DirectChannel on a transport that offers raw lines', () => {
  function rawLineTransport() {
    const base = fakeTransport();
    const transport = Object.assign(base.transport, { onrawline: undefined as ((line: string | Buffer) => boolean) | undefined });
    return { ...base, transport };
  }

  it('takes the answer to its id as text (requestRaw) and leaves every other line to the parser', async () => {
    const { transport, sent } = rawLineTransport();
    const channel = new DirectChannel(transport);
    assert.equal(transport.onrawline?.('{"jsonrpc":"2.0","id":"mcplex-1","result":{}}'), false, 'nothing waits yet');
    const pending = channel.requestRaw('tools/call', { name: 'x' }, { signal: never, timeoutMs: 10_000 });
    const id = (sent[0] as { id: string }).id;
    assert.equal(transport.onrawline?.('{"jsonrpc":"2.0","method":"notifications/message","params":{"id":"mcplex-1"}}'), false);
    assert.equal(transport.onrawline?.('{"jsonrpc":"2.0","id":3,"result":{}}'), false);
    const result = '{"content":[{"type":"text","text":"big \\"quoted\\" text"}]}';
    assert.equal(transport.onrawline?.(`{"result":${result},"jsonrpc":"2.0","id":"${id}"}`), true);
    const answer = await pending;
    assert.ok(answer instanceof RawJson);
    assert.equal(answer.json, result);
  });

  it('keeps a line that came as bytes as bytes: the result is a view of it, not a decoded copy', async () => {
    const { transport, sent } = rawLineTransport();
    const channel = new DirectChannel(transport);
    const pending = channel.requestRaw('tools/call', { name: 'x' }, { signal: never, timeoutMs: 10_000 });
    const id = (sent[0] as { id: string }).id;
    const result = '{"content":[{"type":"text","text":"ünïcödé \\"q\\" €"}]}';
    const line = Buffer.from(`{"jsonrpc":"2.0","id":"${id}","result":${result}}`);
    assert.equal(transport.onrawline?.(line), true);
    const answer = await pending;
    assert.ok(answer instanceof RawJson && Buffer.isBuffer(answer.json));
    assert.equal(answer.json.buffer, line.buffer, 'shares the line\'s memory');
    assert.equal(answer.text, result);
  });

  it('parses for request(), and turns an error line into an McpError', async () => {
    const { transport, sent } = rawLineTransport();
    const channel = new DirectChannel(transport);
    const parsed = channel.request('resources/read', {}, { signal: never, timeoutMs: 10_000 });
    const failed = channel.requestRaw('tools/call', {}, { signal: never, timeoutMs: 10_000 });
    const [first, second] = sent as { id: string }[];
    transport.onrawline?.(`{"jsonrpc":"2.0","id":"${first!.id}","result":{"contents":[]}}`);
    transport.onrawline?.(`{"jsonrpc":"2.0","id":"${second!.id}","error":{"code":-32602,"message":"nope","data":[1]}}`);
    assert.deepEqual(await parsed, { contents: [] });
    await assert.rejects(failed, (error: unknown) => error instanceof McpError && error.code === -32602 && Array.isArray(error.data));
  });
});

describe('DirectChannel progress', () => {
  it('sends its id as the progress token, hands progress back without it, and progress restarts the timeout', async () => {
    const { transport, sent, passedOn } = fakeTransport();
    const progress: unknown[] = [];
    const pending = new DirectChannel(transport).request('tools/call', { _meta: { progressToken: 'client-token', other: 1 } }, { signal: never, timeoutMs: 400, onprogress: (p) => void progress.push(p) });
    const request = sent[0] as { id: string; params: { _meta: Record<string, unknown> } };
    assert.deepEqual(request.params._meta, { progressToken: request.id, other: 1 });
    for (let step = 1; step <= 3; step++) {
      // 750 ms in all: past the 400 ms timeout without the resets; each wait leaves 150 ms of
      // slack, so a loaded machine's late timers do not look like a missing reset.
      await new Promise((resolve) => setTimeout(resolve, 250));
      transport.onmessage?.({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: request.id, progress: step, total: 3 } } as JSONRPCMessage);
    }
    transport.onmessage?.({ jsonrpc: '2.0', id: request.id, result: { done: true } } as JSONRPCMessage);
    assert.deepEqual(await pending, { done: true });
    assert.deepEqual(progress, [1, 2, 3].map((step) => ({ progress: step, total: 3 })));
    assert.deepEqual(passedOn, [], 'the Client never hears of a token it did not make');
  });
});
