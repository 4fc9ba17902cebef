/**
 * The client side of a stdio upstream: spawns the server, speaks newline-delimited JSON-RPC
 * over its stdin/stdout, and hands its stderr out line by line.
 *
 * Why not the SDK's `StdioClientTransport`: it signals only the process it spawned, so with
 * `npx` → `node` → grandchildren the real server survives `close()`; it hides the stderr we
 * want in error messages; and it validates every message with zod on the hot path, which the
 * SDK's `Protocol` does again for the requests it cares about. Here the child leads its own
 * process group and `close()` takes the whole group down.
 *
 * This file keeps the message path and the lifecycle; launching is in `processLaunch`,
 * stderr in `stderrLines`, stdin backpressure in `drainWait`, stopping the tree in `processTree`.
 */
import type { ChildProcess } from 'node:child_process';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type JSONRPCMessage, type MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import { SharedDrainWait } from './drainWait';
import { exitSummary, InvalidStdoutLineError, ProcessExitedError } from './errors';
import { createByteLineSplitter, DEFAULT_MAX_MESSAGE_BYTES, LARGE_LINE_BYTES, MessageTooLargeError } from '../wire';
import { spawnGroupLeader, whenSpawned, type ProcessLaunch } from './processLaunch';
import { isErrno, reapProcessGroup, stopProcessTree, within } from './processTree';
import { readStderrLines, StderrTail } from './stderrLines';

export type { ProcessLaunch } from './processLaunch';

export interface ProcessTransportOptions {
  /** `server/instance`, for messages. */
  readonly instance: string;
  /** Each line the process writes to stderr, without its line break. */
  readonly onStderr?: (line: string) => void;
  /** How long each step of `close()` waits (stdin closed, SIGTERM, SIGKILL). Default 2000 ms. */
  readonly graceMs?: number;
  /** How many of the last stderr lines to keep for error messages. Default 50. */
  readonly stderrTailLines?: number;
  /**
   * The largest line (message) read from stdout. A longer one is dropped as it arrives, the
   * process is stopped (its stream cannot be trusted any more) and `onerror` hears a
   * `MessageTooLargeError`, before `onclose`. Default `DEFAULT_MAX_MESSAGE_BYTES` (64 MiB).
   */
  readonly maxMessageBytes?: number;
}

const DEFAULT_GRACE_MS = 2000;
const DEFAULT_TAIL_LINES = 50;
const EXCERPT_LENGTH = 200;

interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class ProcessTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: (<T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void) | undefined;
  /** Unused: a stdio connection has no session id. */
  sessionId?: string | undefined;
  /**
   * Sees each line before it is parsed and may take it (returns true): the relay's direct
   * channel takes the answers to its own requests this way and passes their results on as
   * text, never parsing a large result (see mux/rawJson). A line from 64 KiB up comes as
   * the bytes read (a Buffer), so a large result is never decoded on its way through.
   * Initialized so `'onrawline' in` finds it.
   */
  onrawline: ((line: string | Buffer) => boolean) | undefined = undefined;

  private readonly graceMs: number;
  private readonly tail: StderrTail;
  private readonly drain: SharedDrainWait;
  private child: ChildProcess | undefined;
  private exitStatus: ExitStatus | undefined;
  /** The process exited before anyone called close(). */
  private exitedOnItsOwn = false;
  private exitedUnexpectedly: ProcessExitedError | undefined;
  private closeRequested = false;
  private closing: Promise<void> | undefined;
  private isFinished = false;
  private readonly leaderExited: Promise<void>;
  private markLeaderExited!: () => void;
  private readonly streamsClosed: Promise<void>;
  private markStreamsClosed!: () => void;
  private readonly finished: Promise<void>;
  private markFinished!: () => void;

  constructor(
    private readonly launch: ProcessLaunch,
    private readonly options: ProcessTransportOptions,
  ) {
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.tail = new StderrTail(options.stderrTailLines ?? DEFAULT_TAIL_LINES);
    this.drain = new SharedDrainWait(options.instance);
    this.leaderExited = new Promise((resolve) => (this.markLeaderExited = resolve));
    this.streamsClosed = new Promise((resolve) => (this.markStreamsClosed = resolve));
    this.finished = new Promise((resolve) => (this.markFinished = resolve));
  }

  /** The spawned process's id (also its process group's id); undefined before `start()`. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines the process wrote to stderr, oldest first. */
  get stderrTail(): readonly string[] {
    return this.tail.lines();
  }

  /** Set once the process has exited without being asked to (by `close()`). */
  get unexpectedExit(): ProcessExitedError | undefined {
    return this.exitedUnexpectedly;
  }

  async start(): Promise<void> {
    if (this.child !== undefined || this.closeRequested) {
      throw new Error(`${this.options.instance}: the process transport was already started`);
    }
    const child = spawnGroupLeader(this.launch);
    this.child = child;
    // Wired before the start is awaited, so no output or exit can slip past.
    this.wire(child);
    await whenSpawned(child, this.launch.command, (error) => this.report(error));
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (this.child === undefined) {
      return Promise.reject(new Error(`${this.options.instance}: cannot send, the process is not running (it was never started)`));
    }
    if (!stdin || !stdin.writable || this.closeRequested || this.exitStatus !== undefined) {
      return this.gone();
    }
    return new Promise((resolve, reject) => {
      // A failed write also surfaces as an 'error' event on stdin, reported there.
      const flushed = stdin.write(`${JSON.stringify(message)}\n`, (error) => {
        if (error) {
          // EPIPE and its kin mean the process is dying: say so, not "write EPIPE".
          this.gone(error).catch(reject);
        }
      });
      if (flushed) {
        resolve();
      } else {
        // Backpressure: the pipe is full, so the caller waits until the process reads.
        this.drain.wait(stdin).then(resolve, () => this.gone().catch(reject));
      }
    });
  }

  /**
   * Rejects a send that met a process gone or going with the error a closed connection
   * gives (`ConnectionClosed`), which the relay words for the client ("stopped …; it is
   * being restarted"). Waits (bounded) for the transport to close first: then the request
   * fails as every one in flight does, with the supervisor already restarting the instance.
   */
  private async gone(cause?: Error): Promise<never> {
    if (!this.closeRequested) await within(this.finished, 2 * this.graceMs);
    const status = this.exitStatus;
    const why =
      this.closeRequested ? 'is not running (it is being stopped)'
      : status !== undefined ? `is not running (it ${exitSummary(status.code, status.signal)})`
      : `stopped reading its input${cause === undefined ? '' : ` (${(cause as NodeJS.ErrnoException).code ?? cause.message})`}`;
    throw new McpError(ErrorCode.ConnectionClosed, `${this.options.instance}: cannot send, the process ${why}`);
  }

  /**
   * Stops (true) or resumes (false) reading the process's stdout: while a client of the relay
   * is behind, the process blocks in its own write instead of mcplex buffering for it.
   */
  pauseReading(paused: boolean): void {
    const stdout = this.child?.stdout;
    if (stdout === undefined || stdout === null) return;
    if (paused) stdout.pause();
    else stdout.resume();
  }

  /** Ends stdin, then SIGTERMs and SIGKILLs the process group, a grace time apart. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closeRequested = true;
    const child = this.child;
    const pid = child?.pid;
    if (child === undefined || pid === undefined) {
      // Never started, or the spawn failed: there is no process to stop.
      this.finish();
      return;
    }
    await stopProcessTree(
      {
        pid,
        endInput: () => child.stdin?.end(),
        exited: this.leaderExited,
        hasExited: () => this.exitStatus !== undefined,
      },
      this.graceMs,
    );
    await within(this.streamsClosed, this.graceMs);
    this.finish();
  }

  private wire(child: ChildProcess): void {
    // Read as bytes: a large line stays bytes (see onrawline), the others are decoded per line.
    const stdout = createByteLineSplitter((line) => this.receive(line), LARGE_LINE_BYTES, {
      maxBytes: this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      onTooLarge: (seenBytes) => this.tooLarge(seenBytes),
    });
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stdout?.on('end', () => stdout.end());
    child.stdout?.on('error', (error) => this.report(error));

    readStderrLines(child.stderr, (line) => this.receiveStderr(line), (error) => this.report(error));

    child.stdin?.on('error', (error) => {
      // EPIPE once the process is gone or going is expected; the exit tells the story.
      if (!(isErrno(error, 'EPIPE') && (this.closeRequested || this.exitStatus !== undefined))) {
        this.report(error);
      }
    });
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    child.on('close', () => {
      this.markStreamsClosed();
      this.finish();
    });
  }

  /** The hot path: one line of stdout, one message. */
  private receive(raw: string | Buffer): void {
    if (raw.length === 0) {
      return;
    }
    try {
      if (this.onrawline?.(raw) === true) return;
    } catch (error) {
      this.report(error);
      return;
    }
    const line = typeof raw === 'string' ? raw : raw.toString('utf8');
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (error) {
      this.report(new InvalidStdoutLineError(this.options.instance, line.slice(0, EXCERPT_LENGTH), { cause: error }));
      return;
    }
    if (typeof message !== 'object' || message === null || (message as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
      this.report(new InvalidStdoutLineError(this.options.instance, line.slice(0, EXCERPT_LENGTH)));
      return;
    }
    try {
      this.onmessage?.(message as JSONRPCMessage);
    } catch (error) {
      this.report(error);
    }
  }

  /** The request it answers fails when the connection closes, with this error as the why. */
  private tooLarge(seenBytes: number): void {
    if (this.closeRequested) return;
    const maxBytes = this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.report(new MessageTooLargeError(`Instance "${this.options.instance}"`, maxBytes, seenBytes));
    void this.close();
  }

  private receiveStderr(line: string): void {
    this.tail.push(line);
    try {
      this.options.onStderr?.(line);
    } catch (error) {
      this.report(error);
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    this.exitStatus = { code, signal };
    this.markLeaderExited();
    if (this.closeRequested || child.pid === undefined) {
      return;
    }
    this.exitedOnItsOwn = true;
    // Died on its own: whatever it started must not outlive it, and a grandchild holding
    // the pipes open must not keep this transport from closing.
    const pid = child.pid;
    void (async () => {
      await reapProcessGroup(pid, this.graceMs);
      await within(this.streamsClosed, this.graceMs);
      this.finish();
    })();
  }

  private finish(): void {
    if (this.isFinished) {
      return;
    }
    this.isFinished = true;
    const status = this.exitStatus;
    // Built only now, when stderr has been read to its end, so the tail has the last words.
    if (this.exitedOnItsOwn && status !== undefined) {
      this.exitedUnexpectedly = new ProcessExitedError(status.code, status.signal, this.stderrTail);
      this.report(this.exitedUnexpectedly);
    }
    // Resolved first (its waiters run after onclose anyway), so a throwing onclose cannot hold them.
    this.markFinished();
    this.onclose?.();
  }

  private report(error: unknown): void {
    this.onerror?.(error instanceof Error ? error : new Error(String(error)));
  }
}
