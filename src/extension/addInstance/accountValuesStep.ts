/**
 * The last question of "Add Account Instance": the values that differ for this account
 * (env entries, headers). A list to pick from until "Write the instance". When the new
 * instance would start exactly like one the server has (core/edit `cloneCheck`), or other
 * instances set values of their own, those values come first, prefilled with what this one
 * would inherit, and "Write" is not what Enter picks: one Enter never writes a second copy
 * of an account. Each value is
 * typed (hidden when it looks like a credential) and kept either in SecretStorage (written
 * as `${secret:…}`) or as plain text in the file; a value that cannot be a credential (a
 * path, a plain URL, a number: whereToKeep.ts) goes into the file without that question.
 * Its own file because it is a small loop of its own.
 */
import { cloneCheck, type AccountValue, type CloneCheck } from '../../core/edit';
import { definitionLabel } from '../../core/naming';
import { titleOf, type FlowDeps, type FlowState } from './addInstanceSteps';
import { BACK, type Answer, type PickItem } from './prompter';
import { vscodeAuthOf, type ServerChoice } from './serverChoices';
import { asksWhereToKeep, looksSecret } from './whereToKeep';

type ValueAction =
  | { readonly kind: 'done' }
  | {
      readonly kind: 'key';
      readonly target: 'env' | 'headers';
      readonly key?: string;
      readonly secretHint: boolean;
      /** What the instance gets without a value of its own: the input starts with it. */
      readonly inherited?: string;
      /** The instances it would be the same account as, while this value is the inherited one. */
      readonly sameAs?: readonly string[];
    };

export async function askValues(deps: FlowDeps, state: FlowState, step: number, totalSteps: number): Promise<Answer<true>> {
  const { choice, prefix } = state;
  if (choice === undefined || prefix === undefined) return undefined;
  for (;;) {
    const action = await deps.prompter.pick<ValueAction>({
      title: `${titleOf(state)}: ${definitionLabel(choice.label, [state.label ?? prefix])}`,
      step,
      totalSteps,
      canGoBack: true,
      placeholder: 'Values that differ for this account (env, headers), then write the instance',
      items: valueItems(choice, state.values, clonesOf(choice, state)),
    });
    if (action === undefined || action === BACK) return action;
    if (action.kind === 'done') return true;
    const entry = await askValue(deps, state, choice, action, step, totalSteps);
    if (entry === undefined) continue; // back to the list
    state.values = [...state.values.filter((value) => !(value.target === entry.target && value.key === entry.key)), entry];
  }
}

/** For a server of the file: the instances the new one would copy, and the values that tell accounts apart. */
function clonesOf(choice: ServerChoice, state: FlowState): CloneCheck {
  if (choice.kind !== 'config') return { clones: [], perAccount: [] };
  // The account chosen for a VS Code auth is written as the instance's own auth (addInstanceFlow.ts).
  const auth = vscodeAuthOf(choice);
  const account = state.account?.label;
  const fields = auth === undefined || account === undefined ? {} : { auth: { type: 'vscode', provider: auth.provider, scopes: [...auth.scopes], account } };
  return cloneCheck(choice.server, state.values, fields);
}

function valueItems(choice: ServerChoice, values: readonly AccountValue[], check: CloneCheck): PickItem<ValueAction>[] {
  const set = (target: 'env' | 'headers', key: string) => values.find((value) => value.target === target && value.key === key);
  const remote = choice.server.url !== undefined;
  const imported = choice.kind === 'mcpJson';
  const perAccount = (target: 'env' | 'headers', key: string) => check.perAccount.find((value) => value.target === target && value.key === key);
  const existing: { target: 'env' | 'headers'; key: string; value: string }[] = [
    ...Object.entries(choice.server.env ?? {}).map(([key, value]) => ({ target: 'env' as const, key, value })),
    ...Object.entries(choice.server.headers ?? {}).map(([key, value]) => ({ target: 'headers' as const, key, value })),
  ].filter(({ target, key }) => perAccount(target, key) === undefined);
  for (const value of values) if (!existing.some((entry) => entry.target === value.target && entry.key === value.key)) existing.push({ ...value, value: '' });
  const sameAs = check.clones.length > 0 ? check.clones : undefined;
  const summary = values.length === 0 ? 'nothing set for this account' : `${values.length} value${values.length === 1 ? '' : 's'} set`;
  const write: PickItem<ValueAction> = {
    label: '$(check) Write the instance',
    description: sameAs === undefined ? summary : `${summary}: it would start exactly like ${sameAs.map((id) => `"${id}"`).join(', ')}, the same account`,
    value: { kind: 'done' },
  };
  const differing = check.perAccount.map(({ target, key, inherited }): PickItem<ValueAction> => ({
    label: `$(edit) ${key}`,
    description: `${target === 'env' ? 'env' : 'header'} · differs per account: ${inherited === undefined ? 'not set for this one yet' : `inherits ${inherited}`}`,
    value: {
      kind: 'key',
      target,
      key,
      secretHint: looksSecret(key) || /\$\{(secret|input):/.test(inherited ?? ''),
      ...(inherited !== undefined && { inherited }),
      ...(sameAs !== undefined && { sameAs }),
    },
  }));
  return [
    // The values that tell this account apart first: Enter edits one of them, never writes a copy.
    ...differing,
    write,
    ...existing.map(({ target, key, value }) => {
      const mine = set(target, key);
      const fromInput = /\$\{input:/.test(value);
      const description =
        mine !== undefined
          ? mine.secret
            ? 'set for this account (secret)'
            : `set for this account: ${mine.value}`
          : fromInput
            ? 'needs a value for each account'
            : value === ''
              ? ''
              : imported
                ? `from mcp.json: ${value}`
                : `inherits ${value}`;
      const secretHint = fromInput || looksSecret(key) || /\$\{secret:/.test(value);
      return {
        label: `$(edit) ${key}`,
        description: `${target === 'env' ? 'env' : 'header'} · ${description}`,
        value: { kind: 'key', target, key, secretHint, ...(value !== '' && mine === undefined && { inherited: value }) },
      } as PickItem<ValueAction>;
    }),
    { label: '$(add) Add an environment variable…', value: { kind: 'key', target: 'env', secretHint: false } },
    ...(remote ? [{ label: '$(add) Add a header…', value: { kind: 'key', target: 'headers', secretHint: false } } as PickItem<ValueAction>] : []),
  ];
}

async function askValue(
  deps: FlowDeps,
  state: FlowState,
  choice: ServerChoice,
  action: Extract<ValueAction, { kind: 'key' }>,
  step: number,
  totalSteps: number,
): Promise<AccountValue | undefined> {
  const title = `${titleOf(state)}: ${choice.label}`;
  let key = action.key;
  if (key === undefined) {
    const typed = await deps.prompter.input({
      title,
      step,
      totalSteps,
      canGoBack: true,
      prompt: action.target === 'env' ? 'Name of the environment variable' : 'Name of the header',
      check: (value) => (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(value) ? {} : { error: 'Use letters, digits, "_", "-" or "." (not starting with a digit).' }),
    });
    if (typed === undefined || typed === BACK) return undefined;
    key = typed;
  }
  const secretHint = action.secretHint || looksSecret(key);
  const { inherited, sameAs } = action;
  // A secret's reference or an input is no value to start from; a path or a name is.
  const prefill = secretHint || inherited === undefined || /\$\{(secret|input):/.test(inherited) ? undefined : inherited;
  const value = await deps.prompter.input({
    title,
    step,
    totalSteps,
    canGoBack: true,
    prompt: `Value of ${key} for this account`,
    password: secretHint,
    ...(prefill !== undefined && { value: prefill }),
    ...(sameAs !== undefined &&
      inherited !== undefined && {
        check: (typed: string) =>
          typed === inherited ? { error: `That is the value ${sameAs.map((id) => `"${id}"`).join(', ')} use${sameAs.length === 1 ? 's' : ''}: type this account's own.` } : {},
      }),
  });
  if (value === undefined || value === BACK) return undefined;
  if (!asksWhereToKeep(key, value, secretHint)) return { target: action.target, key, value, secret: false };
  const secretItem: PickItem<boolean> = { label: 'Keep it in SecretStorage', description: 'writes ${secret:…} into .mcplex.jsonc', value: true };
  const plainItem: PickItem<boolean> = { label: 'Write it into .mcplex.jsonc', description: 'as plain text', value: false };
  const secret = await deps.prompter.pick({
    title,
    step,
    totalSteps,
    canGoBack: true,
    placeholder: `Where should the value of ${key} live?`,
    items: secretHint ? [secretItem, plainItem] : [plainItem, secretItem],
  });
  if (secret === undefined || secret === BACK) return undefined;
  return { target: action.target, key, value, secret };
}
