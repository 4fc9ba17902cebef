/**
 * The questions a guided flow asks, behind a small interface: a pick or a line of text,
 * each answered with a value, BACK (the user pressed the back button) or undefined
 * (cancelled). The flows (addInstanceFlow.ts…) are written against it and tested with a
 * scripted prompter; `VsCodePrompter` asks through VS Code's QuickPick and InputBox, with
 * step numbers, a back button and validation as the user types.
 */
import type * as vscode from 'vscode';
import type { VsCodeApi } from '../vscodeApi';

export const BACK = Symbol('back');
export type Answer<T> = T | typeof BACK | undefined;

export interface PickItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
}

interface StepOptions {
  readonly title: string;
  readonly step?: number;
  readonly totalSteps?: number;
  /** Show a back button (not on the first step). */
  readonly canGoBack?: boolean;
}

export interface PickOptions<T> extends StepOptions {
  readonly placeholder: string;
  readonly items: readonly PickItem<T>[];
}

export interface InputCheck {
  /** Blocks accepting. */
  readonly error?: string;
  /** Blocks accepting without a message: an empty box that needs a value keeps showing its prompt. */
  readonly incomplete?: boolean;
  /** Shown under the box while the value is fine (e.g. the tool names it leads to). */
  readonly hint?: string;
}

export interface InputOptions extends StepOptions {
  readonly prompt: string;
  readonly value?: string;
  readonly placeholder?: string;
  readonly password?: boolean;
  readonly check?: (value: string) => InputCheck;
}

export interface Prompter {
  pick<T>(options: PickOptions<T>): Promise<Answer<T>>;
  input(options: InputOptions): Promise<Answer<string>>;
}

type PromptApi = Pick<VsCodeApi, 'window' | 'QuickInputButtons'>;

export class VsCodePrompter implements Prompter {
  constructor(private readonly api: PromptApi) {}

  pick<T>(options: PickOptions<T>): Promise<Answer<T>> {
    const pick = this.api.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
    this.applyStep(pick, options);
    pick.placeholder = options.placeholder;
    pick.matchOnDescription = true;
    pick.items = options.items.map((item) => ({
      label: item.label,
      ...(item.description !== undefined && { description: item.description }),
      ...(item.detail !== undefined && { detail: item.detail }),
      value: item.value,
    }));
    return this.run(pick, (resolve) => [
      pick.onDidAccept(() => {
        const [chosen] = pick.selectedItems;
        if (chosen !== undefined) resolve(chosen.value);
      }),
    ]);
  }

  input(options: InputOptions): Promise<Answer<string>> {
    const box = this.api.window.createInputBox();
    this.applyStep(box, options);
    box.prompt = options.prompt;
    box.value = options.value ?? '';
    if (options.placeholder !== undefined) box.placeholder = options.placeholder;
    box.password = options.password ?? false;
    const show = (value: string): InputCheck => {
      const check = options.check?.(value) ?? {};
      box.validationMessage = check.error;
      box.prompt = check.hint === undefined ? options.prompt : `${options.prompt} ${check.hint}`;
      return check;
    };
    show(box.value);
    return this.run(box, (resolve) => [
      box.onDidChangeValue((value) => void show(value)),
      box.onDidAccept(() => {
        const check = show(box.value);
        if (check.error === undefined && check.incomplete !== true) resolve(box.value);
      }),
    ]);
  }

  private applyStep(input: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[] }, options: StepOptions): void {
    input.title = options.title;
    if (options.step !== undefined) input.step = options.step;
    if (options.totalSteps !== undefined) input.totalSteps = options.totalSteps;
    input.ignoreFocusOut = true;
    if (options.canGoBack === true) input.buttons = [this.api.QuickInputButtons.Back];
  }

  /** Shows `input`; settles once with the answer, BACK, or undefined when it is hidden. */
  private run<T>(
    input: vscode.QuickInput & { onDidTriggerButton: vscode.Event<vscode.QuickInputButton> },
    listen: (resolve: (value: Answer<T>) => void) => { dispose(): unknown }[],
  ): Promise<Answer<T>> {
    return new Promise((settle) => {
      let done = false;
      const subscriptions: { dispose(): unknown }[] = [];
      const resolve = (value: Answer<T>): void => {
        if (done) return;
        done = true;
        for (const subscription of subscriptions) subscription.dispose();
        input.dispose();
        settle(value);
      };
      subscriptions.push(
        ...listen(resolve),
        input.onDidTriggerButton((button) => {
          if (button === this.api.QuickInputButtons.Back) resolve(BACK);
        }),
        input.onDidHide(() => resolve(undefined)),
      );
      input.show();
    });
  }
}
