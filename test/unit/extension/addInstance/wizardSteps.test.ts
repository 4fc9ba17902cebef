// The wizard's questions as the user meets them: no server question with one server, a
// step counter that counts only the questions shown (recounted, never jumping), no back
// button on the first question, and no literal placeholder such as `<label>` in any text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addAccountInstance } from '../../../../src/extension/addInstance/addInstanceFlow';
import { ConfigFiles } from '../../../../src/extension/inputs/configFiles';
import type { InputOptions, PickOptions } from '../../../../src/extension/addInstance/prompter';
import { BACK } from '../../../../src/extension/addInstance/prompter';
import { byLabel, ScriptedPrompter, type Step } from '../../../helpers/scriptedPrompter';
import { createFakeVscode } from '../../../helpers/fakeVscode';

const APP = '/ws/app';
const CONFIG = `${APP}/.mcplex.jsonc`;

interface Shown {
  readonly counter: string;
  readonly back: boolean;
  readonly texts: string;
}

/** A prompter that records each box's counter, back button and texts before answering. */
function recording(steps: Step[]): { prompter: ScriptedPrompter; shown: Shown[] } {
  const shown: Shown[] = [];
  const record = (options: PickOptions<unknown> | InputOptions, extra: string): void =>
    void shown.push({ counter: `${options.step}/${options.totalSteps}`, back: options.canGoBack === true, texts: `${options.title} ${extra}` });
  const wrapped = steps.map((step): Step =>
    'pick' in step
      ? { pick: (labels, options) => (record(options, `${options.placeholder} ${labels.join(' ')}`), step.pick(labels, options)) }
      : { input: (options) => (record(options, `${options.prompt} ${options.placeholder ?? ''} ${options.check?.(options.value ?? '').hint ?? ''}`), step.input(options)) },
  );
  return { prompter: new ScriptedPrompter(wrapped), shown };
}

function run(config: string, steps: Step[], accounts?: (provider: string) => Promise<readonly string[]>) {
  const { api, state } = createFakeVscode();
  state.addFolder(APP, 'app');
  state.files.set(CONFIG, config);
  const { prompter, shown } = recording(steps);
  const flow = addAccountInstance({
    prompter,
    files: new ConfigFiles(api),
    storeSecret: async () => undefined,
    instances: () => [],
    configChanged: () => undefined,
    ...(accounts !== undefined && { accounts }),
  });
  return { flow, shown, state };
}

const TEXT = { input: (options: InputOptions) => options.value ?? '' };
const ONE = '{ "servers": { "notes": { "label": "Notes", "command": "node", "instances": { "work": { "args": ["w"] } } } } }';
const GITHUB = '"github": { "url": "https://example.com/mcp", "auth": { "type": "vscode", "provider": "github", "scopes": ["repo"] }, "instances": {} }';

test('one server: not asked; the counter runs 1/3, 2/3, 3/3 and the first box has no back button', async () => {
  const { flow, shown } = run(ONE, [TEXT, TEXT, { pick: byLabel('Write the instance') }]);
  assert.equal((await flow)?.serverId, 'notes');
  assert.deepEqual(shown.map((box) => box.counter), ['1/3', '2/3', '3/3']);
  assert.deepEqual(shown.map((box) => box.back), [false, true, true]);
});

test('a server whose account is a VS Code account adds a step: the counter is recounted, never jumps', async () => {
  const config = `{ "servers": { "notes": { "command": "node", "instances": {} }, ${GITHUB} } }`;
  const { flow, shown } = run(config, [{ pick: byLabel('github') }, TEXT, TEXT, { pick: byLabel('Any GitHub account') }, { pick: byLabel('Write the instance') }], async () => []);
  await flow;
  assert.deepEqual(shown.map((box) => box.counter), ['1/4', '2/5', '3/5', '4/5', '5/5']);
});

test('going back over a step that is not shown lands on the one before it, with its own number', async () => {
  const { flow, shown } = run(ONE, [TEXT, TEXT, { pick: () => BACK }, { input: () => 'Team' }, { pick: byLabel('Write the instance') }]);
  await flow;
  assert.deepEqual(shown.map((box) => box.counter), ['1/3', '2/3', '3/3', '2/3', '3/3']);
});

test('no box says a literal placeholder: the label box names the real label as typed', async () => {
  const { flow, shown } = run(ONE, [{ input: () => 'home' }, TEXT, { pick: byLabel('Write the instance') }]);
  await flow;
  for (const box of shown) assert.doesNotMatch(box.texts, /<[a-z]+>/i, box.texts);
  assert.match(shown[1]?.texts ?? '', /VS Code shows "Notes \(Home\)", Copilot CLI "notes__home"/);
});
