/** Plan: resolved instances → instances with prefix, slug, label, note and hash. Pure. */
export { planInstances, instanceKey } from './planInstances';
export { diffPlans, type PlanDiff } from './diff';
export { canonicalJson } from '../wire';
export type { InstanceIdentity, Plan, PlanOptions, PlannedInstance } from './model';
export {
  planWindow,
  windowInstanceId,
  type FolderPlan,
  type PendingInstance,
  type WindowFolder,
  type WindowInstance,
  type WindowPlan,
} from './planWindow';
