/**
 * Clones: two instances of one server that would start alike (one account under two
 * prefixes), the table of where popular servers keep state, and what a quick fix writes.
 * Pure.
 */
export { CLONE_PROBLEM_CODE, SAME_ACCOUNT_FIELDS, findClones, hasOwnFolder, launchIdentity, plannedCandidate, writtenCandidate, type CloneCandidate } from './findClones';
export { KNOWN_SERVERS, describeSetting, knownServerOf, type KnownServer, type StateSetting } from './stateSettings';
export { cloneFixAt, type CloneFix } from './cloneFix';
