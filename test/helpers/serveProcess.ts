/** `mcplex serve` as a real background process: started, its endpoint read from stderr, stopped. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { CLI_PATH, REPO_ROOT } from './cli';

export interface ServeProcess {
  readonly child: ChildProcess;
  /** The URL `mcplex serve` printed (`http://…/mcp` or `unix://…#/mcp`). */
  readonly url: string;
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export async function startServe(args: readonly string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI_PATH, 'serve', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mcplex serve printed no endpoint:\n${stderr}`)), 20_000);
    const onData = (): void => {
      const match = / at (\S+)\n/.exec(stderr);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      resolve(match[1]);
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`mcplex serve exited (${code}):\n${stderr}`)));
  });
  return {
    child,
    url,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}
