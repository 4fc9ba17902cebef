/** "Add Account Instance": the guided flow, its steps and the prompter it asks through. */
export { serverChoices, addAccountInstance, type FlowStart } from './addInstanceFlow';
export { VsCodePrompter } from './prompter';
