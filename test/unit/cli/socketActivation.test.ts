import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseInvocation, UsageError } from '../../../src/cli/args';
import { ServeOptionError } from '../../../src/cli/serveErrors';
import { chooseListenFd, forgetListenFds, listenFds } from '../../../src/cli/socketActivation';

const PID = 4242;

describe('LISTEN_* (systemd socket activation)', () => {
  it('reads the sockets passed to this process, from fd 3, with their names', () => {
    assert.deepEqual(listenFds({ LISTEN_PID: '4242', LISTEN_FDS: '1' }, PID), [{ fd: 3 }]);
    assert.deepEqual(listenFds({ LISTEN_PID: '4242', LISTEN_FDS: '2', LISTEN_FDNAMES: 'http:admin' }, PID), [
      { fd: 3, name: 'http' },
      { fd: 4, name: 'admin' },
    ]);
    assert.deepEqual(listenFds({ LISTEN_PID: '4242', LISTEN_FDS: '2', LISTEN_FDNAMES: ':admin' }, PID), [{ fd: 3 }, { fd: 4, name: 'admin' }], 'an empty name is no name');
  });

  it('ignores sockets passed to another process, none passed, and LISTEN_FDS=0', () => {
    assert.equal(listenFds({}, PID), undefined);
    assert.equal(listenFds({ LISTEN_FDS: '1' }, PID), undefined, 'no LISTEN_PID: not for us');
    assert.equal(listenFds({ LISTEN_PID: '1', LISTEN_FDS: '1' }, PID), undefined, 'a parent’s');
    assert.equal(listenFds({ LISTEN_PID: '4242', LISTEN_FDS: '0' }, PID), undefined);
  });

  it('says which variable is malformed', () => {
    assert.throws(() => listenFds({ LISTEN_PID: 'x', LISTEN_FDS: '1' }, PID), (error: unknown) => error instanceof ServeOptionError && /LISTEN_PID is not a process id \(got "x"\)/.test(error.message));
    assert.throws(() => listenFds({ LISTEN_PID: '4242', LISTEN_FDS: '-1' }, PID), /LISTEN_FDS is not a number of sockets \(got "-1"\)/);
    assert.throws(() => listenFds({ LISTEN_PID: '4242', LISTEN_FDS: '1', LISTEN_FDNAMES: 'a:b' }, PID), /LISTEN_FDNAMES names 2 sockets but LISTEN_FDS says 1/);
  });

  it('chooses the only socket, or the one named; several without a name, or a wrong name, list the names', () => {
    assert.deepEqual(chooseListenFd([{ fd: 3, name: 'mcplex.socket' }], undefined), { fd: 3, name: 'mcplex.socket' });
    const two = [
      { fd: 3, name: 'web' },
      { fd: 4, name: 'admin' },
    ];
    assert.deepEqual(chooseListenFd(two, 'admin'), { fd: 4, name: 'admin' });
    assert.throws(() => chooseListenFd(two, undefined), /systemd passed 2 sockets \(web, admin\): choose one with --listen-fd-name NAME/);
    assert.throws(() => chooseListenFd(two, 'admn'), /--listen-fd-name admn: systemd passed no socket of that name \(it passed web, admin\); did you mean admin\?/);
    assert.throws(() => chooseListenFd([{ fd: 3 }], 'web'), /it passed \(unnamed fd 3\)/);
  });

  it('forgets the variables, so upstreams do not inherit them', () => {
    const env: Record<string, string | undefined> = { LISTEN_PID: '1', LISTEN_FDS: '1', LISTEN_FDNAMES: 'a', PATH: '/bin' };
    forgetListenFds(env);
    assert.deepEqual(env, { PATH: '/bin' });
  });
});

describe('serve --listen-fd-name', () => {
  it('goes with --http or --socket', () => {
    const socket = parseInvocation(['serve', '--socket', '/run/m.sock', '--listen-fd-name', 'mcplex'], 'linux');
    assert.deepEqual(socket.kind === 'serve' && socket.listen, { kind: 'socket', path: '/run/m.sock', fdName: 'mcplex' });
    const http = parseInvocation(['serve', '--http', '8765', '--listen-fd-name', 'web'], 'linux');
    assert.deepEqual(http.kind === 'serve' && http.listen, { kind: 'http', host: '127.0.0.1', port: 8765, fdName: 'web' });
    assert.throws(() => parseInvocation(['serve', '--listen-fd-name', 'web'], 'linux'), (error: unknown) => error instanceof UsageError && /give one of them too/.test(error.message));
  });
});
