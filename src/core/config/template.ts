/**
 * The `${...}` syntax of string values: `${env:NAME}`, `${secret:NAME}`,
 * `${workspaceFolder}`, `${userHome}`, `${instanceDir}` (the instance's private folder),
 * and `$${` for a literal `${`.
 * Parsing is separate from resolving so the validator can reject a misspelt variable
 * before anything runs, and the resolver can keep secrets out of the redacted copy.
 */
import { didYouMean } from './didYouMean';

export type Variable =
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'secret'; readonly name: string }
  | { readonly kind: 'workspaceFolder' }
  | { readonly kind: 'userHome' }
  | { readonly kind: 'instanceDir' };

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'variable';
      readonly variable: Variable;
      /** Where `${...}` sits in the string value (for precise positions). */
      readonly start: number;
      readonly end: number;
      readonly source: string;
    };

export interface TemplateIssue {
  readonly code: 'unknown-variable' | 'invalid-value';
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface Template {
  readonly parts: readonly TemplatePart[];
  readonly issues: readonly TemplateIssue[];
}

const KNOWN_FORMS = '`${env:NAME}`, `${secret:NAME}`, `${workspaceFolder}`, `${userHome}` or `${instanceDir}`';

export function parseTemplate(value: string): Template {
  const parts: TemplatePart[] = [];
  const issues: TemplateIssue[] = [];
  let text = '';
  let i = 0;
  while (i < value.length) {
    if (value.startsWith('$${', i)) {
      text += '${';
      i += 3;
      continue;
    }
    if (!value.startsWith('${', i)) {
      text += value[i];
      i += 1;
      continue;
    }
    const close = value.indexOf('}', i + 2);
    if (close < 0) {
      issues.push({
        code: 'invalid-value',
        message: '`${` is not closed by `}`; close it, or write `$${` for a literal `${`.',
        start: i,
        end: value.length,
      });
      text += value.slice(i);
      break;
    }
    const source = value.slice(i, close + 1);
    const parsed = parseVariable(value.slice(i + 2, close));
    if ('code' in parsed) {
      issues.push({ ...parsed, start: i, end: close + 1 });
      text += source;
    } else {
      if (text) parts.push({ kind: 'text', text });
      text = '';
      parts.push({ kind: 'variable', variable: parsed, start: i, end: close + 1, source });
    }
    i = close + 1;
  }
  if (text) parts.push({ kind: 'text', text });
  return { parts, issues };
}

type VariableIssue = Pick<TemplateIssue, 'code' | 'message'>;

/** A variable, or what is wrong with it. */
function parseVariable(inner: string): Variable | VariableIssue {
  if (inner === 'workspaceFolder') return { kind: 'workspaceFolder' };
  if (inner === 'userHome') return { kind: 'userHome' };
  if (inner === 'instanceDir') return { kind: 'instanceDir' };
  const colon = inner.indexOf(':');
  const kind = colon < 0 ? inner : inner.slice(0, colon);
  const name = colon < 0 ? '' : inner.slice(colon + 1);
  if (kind === 'env' || kind === 'secret') {
    if (name.trim() === '') {
      const example = kind === 'env' ? 'API_TOKEN' : 'github-token';
      return { code: 'invalid-value', message: `\`\${${kind}:}\` needs a name, e.g. \`\${${kind}:${example}}\`.` };
    }
    return { kind, name };
  }
  const guess = didYouMean(colon < 0 ? inner : kind, ['env', 'secret', 'workspaceFolder', 'userHome', 'instanceDir']);
  const hint = guess ? ` Did you mean \`\${${guess}${guess === 'env' || guess === 'secret' ? `:${name || 'NAME'}` : ''}}\`?` : '';
  return {
    code: 'unknown-variable',
    message: `Unknown variable \`\${${inner}}\`; use ${KNOWN_FORMS}, or \`$\${\` for a literal \`\${\`.${hint}`,
  };
}

/** Every `${secret:NAME}` name in the value, in order, without repeats. */
export function secretNames(template: Template): string[] {
  const names: string[] = [];
  for (const part of template.parts) {
    if (part.kind === 'variable' && part.variable.kind === 'secret' && !names.includes(part.variable.name)) {
      names.push(part.variable.name);
    }
  }
  return names;
}

/** Whether the value uses `${instanceDir}` (so the instance gets a state folder). */
export function usesInstanceDir(template: Template): boolean {
  return template.parts.some((part) => part.kind === 'variable' && part.variable.kind === 'instanceDir');
}
