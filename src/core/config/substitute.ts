/**
 * Fills in `${...}` references of one string value. It produces the real value and
 * a redacted twin in which every `${secret:NAME}` stays as written, so the twin can be
 * logged, shown and hashed. Secret values are fetched beforehand (they are async);
 * this step is pure.
 */
import { parseTemplate, type TemplateIssue, type Variable } from './template';

export interface Lookups {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly workspaceFolder: string;
  readonly userHome: string;
  /** `${instanceDir}`: the instance's private folder (a path only; created at start). */
  readonly instanceDir: string;
  /** Already-fetched secret values; `undefined` when the secret is not stored. */
  secret(name: string): string | undefined;
}

export type SubstitutionFailure =
  | { readonly kind: 'unset-env' | 'missing-secret'; readonly name: string; readonly source: string; readonly start: number; readonly end: number }
  | { readonly kind: 'template'; readonly issue: TemplateIssue };

export type Substitution =
  | { readonly ok: true; readonly value: string; readonly redacted: string }
  | { readonly ok: false; readonly failures: readonly SubstitutionFailure[] };

export function substitute(raw: string, lookups: Lookups): Substitution {
  const template = parseTemplate(raw);
  const failures: SubstitutionFailure[] = template.issues.map((issue) => ({ kind: 'template', issue }));
  let value = '';
  let redacted = '';
  for (const part of template.parts) {
    if (part.kind === 'text') {
      value += part.text;
      redacted += part.text;
      continue;
    }
    const resolved = lookup(part.variable, lookups);
    if (resolved === undefined) {
      const name = 'name' in part.variable ? part.variable.name : '';
      const kind = part.variable.kind === 'secret' ? 'missing-secret' : 'unset-env';
      failures.push({ kind, name, source: part.source, start: part.start, end: part.end });
      continue;
    }
    value += resolved;
    redacted += part.variable.kind === 'secret' ? part.source : resolved;
  }
  return failures.length > 0 ? { ok: false, failures } : { ok: true, value, redacted };
}

function lookup(variable: Variable, lookups: Lookups): string | undefined {
  switch (variable.kind) {
    case 'env':
      return lookups.env[variable.name];
    case 'secret':
      return lookups.secret(variable.name);
    case 'workspaceFolder':
      return lookups.workspaceFolder;
    case 'userHome':
      return lookups.userHome;
    case 'instanceDir':
      return lookups.instanceDir;
  }
}
