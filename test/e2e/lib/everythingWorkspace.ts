// The second fixture workspace: server-everything as two account instances (alpha, beta)
// plus a server whose command does not exist. The text is generated, because the tests
// edit it on disk (env, tools.deny, a broken line) and need to know where each line is.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './environment';
import { RECORD_SPAWN_HOOK, SPAWN_KEYS_VARIABLE, SPAWN_LOG_VARIABLE } from './spawnLog';

export const EVERYTHING_SERVER = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
export const MISSING_COMMAND = 'mcplex-e2e-no-such-command';
export const CONFIG_FILE = '.mcplex.jsonc';

export interface EverythingInstance {
  readonly id: 'alpha' | 'beta';
  readonly label: string;
  readonly env: Readonly<Record<string, string>>;
  readonly deny?: readonly string[];
}

export interface EverythingConfig {
  /** The instances in file order. */
  readonly instances: readonly EverythingInstance[];
  /** Where each upstream start is recorded (see fixtures/record-spawn.mjs). */
  readonly spawnLog: string;
  /** `syntax`: drop the comma that ends line 6, so line 7 does not parse. `unknown-key`: line 7 is a key the schema lacks. */
  readonly breakLine7?: 'syntax' | 'unknown-key';
}

export const UNKNOWN_KEY = 'colour';

/** The definitions' labels: `<server label> (<instance label>)`. */
export const LABELS = { alpha: 'Everything (Alpha)', beta: 'Everything (Beta)', missing: 'Missing (Work)' } as const;

export function defaultInstances(): EverythingInstance[] {
  return [
    { id: 'alpha', label: 'Alpha', env: { ACCOUNT: 'alpha' } },
    { id: 'beta', label: 'Beta', env: { ACCOUNT: 'beta' } },
  ];
}

/** The file's text; line 7 is `"args"` of server `everything` (or the break asked for). */
export function everythingConfigText(config: EverythingConfig): string {
  const line7 =
    config.breakLine7 === 'unknown-key'
      ? `      ${JSON.stringify(UNKNOWN_KEY)}: "blue",`
      : `      "args": ${JSON.stringify(['--import', RECORD_SPAWN_HOOK, EVERYTHING_SERVER, 'stdio'])},`;
  const lines = [
    '// server-everything as two accounts, and a server whose command does not exist.',
    '{',
    '  "servers": {',
    '    "everything": {',
    '      "label": "Everything",',
    config.breakLine7 === 'syntax' ? '      "command": "node"' : '      "command": "node",',
    line7,
    ...(config.breakLine7 === 'unknown-key'
      ? [`      "args": ${JSON.stringify(['--import', RECORD_SPAWN_HOOK, EVERYTHING_SERVER, 'stdio'])},`]
      : []),
    `      "env": ${JSON.stringify({ [SPAWN_LOG_VARIABLE]: config.spawnLog, [SPAWN_KEYS_VARIABLE]: 'ACCOUNT,MODE' })},`,
    '      "instances": {',
    ...config.instances.map((instance) => {
      const fields: Record<string, unknown> = { label: instance.label, env: instance.env };
      if (instance.deny !== undefined) fields['tools'] = { deny: instance.deny };
      return `        ${JSON.stringify(instance.id)}: ${JSON.stringify(fields)},`;
    }),
    '      },',
    '    },',
    '    "missing": {',
    '      "label": "Missing",',
    `      "command": ${JSON.stringify(MISSING_COMMAND)},`,
    '      "instances": { "work": { "label": "Work" } },',
    '    },',
    '  },',
    '}',
    '',
  ];
  return lines.join('\n');
}

/** Writes the workspace folder (created if needed) with the config; returns the file's path. */
export function writeEverythingWorkspace(folder: string, config: EverythingConfig): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, CONFIG_FILE);
  writeFileSync(file, everythingConfigText(config));
  return file;
}

/** 1-based line of the first line containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index === -1) throw new Error(`"${needle}" is not in the config text`);
  return index + 1;
}
