/**
 * mcp.json entries written for the original single-prefix proxy wrap the real server:
 * `npx mcplexer --prefix work --label Work -- npx -y server`, or `mcplex wrap --prefix work
 * -- npx -y server`. Importing such an entry as it is would wrap a proxy in mcplex; this
 * finds the server inside and the account (prefix, label) the wrapper gave it.
 */

export interface UnwrappedLaunch {
  /** The wrapped server's command and arguments (what follows `--`). */
  readonly command: string;
  readonly args: readonly string[];
  readonly prefix?: string;
  readonly label?: string;
}

/** A proxy's package or binary: `mcplexer`, `mcplex`, with a scope or `@version`. */
const PROXY = /^(?:@[^/]+\/)?(mcplexer|mcplex)(?:@[^/]*)?$/;
/** Runners that run a package: `npx -y mcplexer …`, `pnpm dlx mcplexer …`, `bunx mcplexer …`. */
const RUNNERS = new Set(['npx', 'bunx', 'pnpx']);
const RUNNER_SUBCOMMANDS = new Set(['dlx', 'exec', 'x']);

/** The server inside a proxy's launch, or undefined when `command args` is no such proxy. */
export function unwrapProxy(command: string, args: readonly string[]): UnwrappedLaunch | undefined {
  const words = [command, ...args];
  let index = 0;
  const name = (word: string | undefined): string => (word ?? '').split(/[\\/]/).pop()?.replace(/\.(cmd|exe|js)$/i, '') ?? '';
  if (RUNNERS.has(name(words[0])) || ['pnpm', 'yarn', 'npm'].includes(name(words[0]))) {
    index = 1;
    while (index < words.length && (words[index]?.startsWith('-') === true || RUNNER_SUBCOMMANDS.has(words[index] ?? ''))) index += 1;
  }
  const proxy = words[index];
  const tool = proxy === undefined ? undefined : PROXY.exec(proxy.startsWith('@') ? proxy : name(proxy))?.[1];
  if (tool === undefined) return undefined;
  index += 1;
  if (tool === 'mcplex') {
    if (words[index] !== 'wrap') return undefined;
    index += 1;
  }
  const separator = words.indexOf('--', index);
  const inner = separator === -1 ? [] : words.slice(separator + 1);
  const innerCommand = inner[0];
  if (innerCommand === undefined) return undefined;
  const options = words.slice(index, separator);
  const prefix = optionValue(options, 'prefix');
  const label = optionValue(options, 'label');
  return { command: innerCommand, args: inner.slice(1), ...(prefix !== undefined && { prefix }), ...(label !== undefined && { label }) };
}

/** `--name value` or `--name=value`; the last one wins, as in a command line. */
function optionValue(options: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let index = 0; index < options.length; index += 1) {
    const option = options[index] ?? '';
    if (option === `--${name}`) value = options[index + 1];
    else if (option.startsWith(`--${name}=`)) value = option.slice(name.length + 3);
  }
  return value;
}
