/**
 * Walking a guided flow's steps: forward on an answer, back on the back button, out on a
 * cancel. A step that does not apply (one server to choose, no VS Code account to pick) is
 * passed over without being shown, in the direction the user was going, and the step
 * counter counts only the steps that will be shown, recounted before each one: it reads
 * 1/4, 2/4, 3/4, 4/4 (or 2/5 once an answer adds a step), never 3/5 → 5/5. Apart from
 * the steps themselves because Add Account Instance and Add a Second Account walk the same
 * way over different steps.
 */
import { BACK, type Answer } from './prompter';

export interface FlowStep {
  /** Whether it will be shown, as far as the answers so far tell. */
  readonly shows: () => boolean;
  /** Asks, with its number among the shown steps and their count. */
  readonly ask: (step: number, totalSteps: number) => Promise<Answer<true>>;
}

export const always = (): boolean => true;

/** Walks `steps` to the end (true) or until the user cancels (false). */
export async function walkSteps(steps: readonly FlowStep[]): Promise<boolean> {
  let forward = true;
  for (let index = 0; index < steps.length; ) {
    const step = steps[index];
    if (step === undefined) return false;
    if (!step.shows()) {
      // Back past the first shown step cannot happen (it has no back button); forward then.
      if (!forward && index === 0) forward = true;
      index += forward ? 1 : -1;
      continue;
    }
    const number = steps.slice(0, index).filter((before) => before.shows()).length + 1;
    const total = steps.filter((each) => each.shows()).length;
    const answer = await step.ask(number, total);
    if (answer === undefined) return false;
    forward = answer !== BACK;
    index = forward ? index + 1 : Math.max(0, index - 1);
  }
  return true;
}
