/** What the user sees of the instances: the MCPlex tree, the status bar, the instance picker, the context keys. */
export { instancePickItems, showInstancePicker } from './instancePicker';
export { instanceRef, type InstanceRef, type ToolNode, type TreeNode } from './treeModel';
export { McplexStatusBar } from './statusBar';
export { renderState, stateLine, STATE_TABLE, type RenderedState } from './stateRender';
export { CONTEXT_KEYS, ContextKeys } from './contextKeys';
export { INSTANCES_VIEW_ID, InstancesTree } from './instancesTree';
