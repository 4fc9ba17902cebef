/**
 * The decisions of "Add Account Instance" that need no UI: is this prefix usable (and
 * what tool names it leads to), what the label defaults to, which secret a per-account
 * value is kept under, and the instance's fields from the answers.
 */
import { assignSlugs, DEFAULT_SEPARATOR, nameTools, validatePrefix } from '../naming';
import type { LaunchFields } from './configEdits';

export interface PrefixContext {
  readonly serverId: string;
  /** The server's instance ids already in the file (and settings). */
  readonly taken: readonly string[];
  readonly separator?: string;
  /** An upstream tool name to show in the examples; a placeholder otherwise. */
  readonly sampleTool?: string;
}

export interface PrefixCheck {
  /** What is wrong, for the input box; undefined when the prefix is fine. */
  readonly error?: string;
  /** The names the model would see: `mcp_<slug>_<tool>` in VS Code, `<prefix>__<tool>` elsewhere. */
  readonly vscodeName?: string;
  readonly prefixedName?: string;
}

export const SAMPLE_TOOL_PLACEHOLDER = 'tool';

export function checkPrefix(prefix: string, context: PrefixContext): PrefixCheck {
  const separator = context.separator ?? DEFAULT_SEPARATOR;
  const invalid = validatePrefix(prefix, separator);
  if (invalid !== undefined) return { error: invalid };
  const clash = context.taken.find((id) => id.toLowerCase() === prefix.toLowerCase());
  if (clash !== undefined) {
    return { error: `"${context.serverId}" already has an instance "${clash}"; pick another prefix, such as "${suggestPrefix(context.taken)}".` };
  }
  const tool = context.sampleTool ?? SAMPLE_TOOL_PLACEHOLDER;
  const keys = [...context.taken, prefix].map((instanceId) => ({ key: `${context.serverId}/${instanceId}`, serverId: context.serverId, instanceId }));
  const slug = assignSlugs(keys).get(`${context.serverId}/${prefix}`) ?? prefix;
  const plain = nameTools([{ key: 'sample', prefix: undefined, names: [tool] }], { separator }).exposedName('sample', tool) ?? tool;
  const prefixed = nameTools([{ key: 'sample', prefix, names: [tool] }], { separator }).exposedName('sample', tool) ?? `${prefix}${separator}${tool}`;
  return { vscodeName: `mcp_${slug}_${plain}`, prefixedName: prefixed };
}

/** `work` first, then `personal`, then `account2`, `account3`…: the first one not taken. */
export function suggestPrefix(taken: readonly string[]): string {
  const used = new Set(taken.map((id) => id.toLowerCase()));
  for (const candidate of ['work', 'personal']) if (!used.has(candidate)) return candidate;
  for (let index = 2; ; index += 1) if (!used.has(`account${index}`)) return `account${index}`;
}

/** `work` → `Work`, `my-team` → `My team`. */
export function defaultLabel(prefix: string): string {
  const words = prefix.replace(/[_-]+/g, ' ').trim();
  return words === '' ? prefix : words[0]?.toUpperCase() + words.slice(1);
}

/** `github`, `work`, `GITHUB_TOKEN` → `github-work-github-token`. */
export function secretNameFor(serverId: string, prefix: string, key: string): string {
  const part = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return [serverId, prefix, key].map(part).filter((piece) => piece !== '').join('-');
}

export interface AccountValue {
  readonly target: 'env' | 'headers';
  readonly key: string;
  readonly value: string;
  /** Keep the value in SecretStorage and write `${secret:NAME}`. */
  readonly secret: boolean;
}

export interface InstanceAnswers {
  readonly serverId: string;
  readonly prefix: string;
  readonly label: string;
  readonly values: readonly AccountValue[];
}

export interface InstancePlan {
  readonly fields: LaunchFields;
  /** Secret name → value, to store before the file is written. */
  readonly secrets: ReadonlyMap<string, string>;
}

export function planInstance(answers: InstanceAnswers): InstancePlan {
  const secrets = new Map<string, string>();
  const env: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const entry of answers.values) {
    let written = entry.value;
    if (entry.secret) {
      const name = secretNameFor(answers.serverId, answers.prefix, entry.key);
      secrets.set(name, entry.value);
      written = `\${secret:${name}}`;
    }
    (entry.target === 'env' ? env : headers)[entry.key] = written;
  }
  return {
    fields: {
      label: answers.label,
      ...(Object.keys(env).length > 0 && { env }),
      ...(Object.keys(headers).length > 0 && { headers }),
    },
    secrets,
  };
}
