// A Prompter that answers each question of a flow (Add Account Instance) with the next
// scripted step and records what was asked, so a unit test drives the flow as a user would.
import assert from 'node:assert/strict';
import { BACK, type Answer, type InputOptions, type PickOptions, type Prompter } from '../../src/extension/addInstance/prompter';

export type Step =
  | { pick: (labels: string[], options: PickOptions<unknown>) => number | typeof BACK | undefined }
  | { input: (options: InputOptions) => string | typeof BACK | undefined };

export class ScriptedPrompter implements Prompter {
  readonly asked: string[] = [];
  constructor(private readonly steps: Step[]) {}
  async pick<T>(options: PickOptions<T>): Promise<Answer<T>> {
    const step = this.steps.shift();
    this.asked.push(`pick ${options.placeholder}`);
    assert.ok(step && 'pick' in step, `unexpected pick: ${options.placeholder}`);
    const answer = step.pick(options.items.map((item) => item.label), options as PickOptions<unknown>);
    return answer === BACK || answer === undefined ? answer : options.items[answer]?.value;
  }
  async input(options: InputOptions): Promise<Answer<string>> {
    const step = this.steps.shift();
    this.asked.push(`input ${options.prompt}`);
    assert.ok(step && 'input' in step, `unexpected input: ${options.prompt}`);
    return step.input(options);
  }
}

/** A pick step that chooses the first item whose label contains `text`. */
export const byLabel = (text: string) => (labels: string[]): number => {
  const index = labels.findIndex((label) => label.includes(text));
  assert.ok(index >= 0, `no "${text}" in ${JSON.stringify(labels)}`);
  return index;
};
