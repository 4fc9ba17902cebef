/**
 * The last question of "Add Account Instance": the values that differ for this account
 * (env entries, headers). A list to pick from until "Write the instance"; each value is
 * typed (hidden when it looks like a credential) and kept either in SecretStorage (written
 * as `${secret:…}`) or as plain text in the file. Its own file because it is a small loop
 * of its own, and what counts as secret-looking changes apart from the other questions.
 */
import type { AccountValue } from '../../core/edit';
import { FLOW_TITLE, type FlowDeps, type FlowState } from './addInstanceSteps';
import { BACK, type Answer, type PickItem } from './prompter';
import type { ServerChoice } from './serverChoices';

/** Names that look like credentials: their values default to SecretStorage. */
const SECRET_LOOKING = /token|key|secret|password|passwd|auth|credential|cookie/i;

type ValueAction = { readonly kind: 'done' } | { readonly kind: 'key'; readonly target: 'env' | 'headers'; readonly key?: string; readonly secretHint: boolean };

export async function askValues(deps: FlowDeps, state: FlowState, step: number, totalSteps: number): Promise<Answer<true>> {
  const { choice, prefix } = state;
  if (choice === undefined || prefix === undefined) return undefined;
  for (;;) {
    const action = await deps.prompter.pick<ValueAction>({
      title: `${FLOW_TITLE}: ${choice.label} · ${state.label ?? prefix}`,
      step,
      totalSteps,
      canGoBack: true,
      placeholder: 'Values that differ for this account (env, headers), then write the instance',
      items: valueItems(choice, state.values),
    });
    if (action === undefined || action === BACK) return action;
    if (action.kind === 'done') return true;
    const entry = await askValue(deps, choice, action, step, totalSteps);
    if (entry === undefined) continue; // back to the list
    state.values = [...state.values.filter((value) => !(value.target === entry.target && value.key === entry.key)), entry];
  }
}

function valueItems(choice: ServerChoice, values: readonly AccountValue[]): PickItem<ValueAction>[] {
  const set = (target: 'env' | 'headers', key: string) => values.find((value) => value.target === target && value.key === key);
  const remote = choice.server.url !== undefined;
  const existing: { target: 'env' | 'headers'; key: string; value: string }[] = [
    ...Object.entries(choice.server.env ?? {}).map(([key, value]) => ({ target: 'env' as const, key, value })),
    ...Object.entries(choice.server.headers ?? {}).map(([key, value]) => ({ target: 'headers' as const, key, value })),
  ];
  for (const value of values) if (!existing.some((entry) => entry.target === value.target && entry.key === value.key)) existing.push({ ...value, value: '' });
  const summary = values.length === 0 ? 'nothing set for this account' : `${values.length} value${values.length === 1 ? '' : 's'} set`;
  return [
    { label: '$(check) Write the instance', description: summary, value: { kind: 'done' } },
    ...existing.map(({ target, key, value }) => {
      const mine = set(target, key);
      const fromInput = /\$\{input:/.test(value);
      const description = mine !== undefined ? (mine.secret ? 'set for this account (secret)' : `set for this account: ${mine.value}`) : fromInput ? 'needs a value for each account' : value === '' ? '' : `inherits ${value}`;
      return {
        label: `$(edit) ${key}`,
        description: `${target === 'env' ? 'env' : 'header'} · ${description}`,
        value: { kind: 'key', target, key, secretHint: fromInput || SECRET_LOOKING.test(key) || /\$\{secret:/.test(value) },
      } as PickItem<ValueAction>;
    }),
    { label: '$(add) Add an environment variable…', value: { kind: 'key', target: 'env', secretHint: false } },
    ...(remote ? [{ label: '$(add) Add a header…', value: { kind: 'key', target: 'headers', secretHint: false } } as PickItem<ValueAction>] : []),
  ];
}

async function askValue(
  deps: FlowDeps,
  choice: ServerChoice,
  action: Extract<ValueAction, { kind: 'key' }>,
  step: number,
  totalSteps: number,
): Promise<AccountValue | undefined> {
  const title = `${FLOW_TITLE}: ${choice.label}`;
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
  const secretHint = action.secretHint || SECRET_LOOKING.test(key);
  const value = await deps.prompter.input({
    title,
    step,
    totalSteps,
    canGoBack: true,
    prompt: `Value of ${key} for this account`,
    password: secretHint,
  });
  if (value === undefined || value === BACK) return undefined;
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
