/** "Add Account Instance" and "Add a Second Account": the guided flows, their steps and the prompter they ask through. */
export { serverChoices, addAccountInstance, type FlowDeps, type FlowStart } from './addInstanceFlow';
export { importableServers } from './serverChoices';
export { addSecondAccount, type SecondAccount } from './secondAccountFlow';
export { VsCodePrompter } from './prompter';
