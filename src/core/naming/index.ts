/** Naming: prefixes, sanitizing, shortening, slugs, notes and URI namespaces. Pure. */
export {
  DEFAULT_NAME_BUDGET,
  DEFAULT_SEPARATOR,
  EXPOSED_NAME_PATTERN,
  MAX_HOST_PREFIX,
  MAX_SLUG,
  MAX_TOOL_NAME,
  MIN_TOOL_CHARACTERS,
  NAME_HASH_LENGTH,
  PREFIX_PATTERN,
} from './constants';
export { NamingError, type NamingErrorCode } from './errors';
export { maxPrefixLength, validatePrefix, validateSeparator, type SeparatorCheck } from './prefix';
export { sanitizeName } from './sanitize';
export { nameTools } from './toolNames';
export type {
  NameEntry,
  NameForm,
  NameOptions,
  NameTable,
  NamedItem,
  NamingIssue,
  NamingIssueCode,
} from './nameTable';
export { MAX_STEM, assignSlugs, readableSlug, serverStems, type SlugSource } from './slugs';
export {
  copilotServerName,
  definitionLabel,
  distinctCopilotLabels,
  qualifyLabel,
  type DistinctLabel,
  type NamedLabel,
} from './copilotNames';
export { DEFAULT_NOTE_TEMPLATE, appendNote, instanceNote } from './note';
export { NAMESPACE_SCHEME, UI_SCHEME, isUiUri, namespaceUiUri, namespaceUri, parseNamespacedUiUri, parseNamespacedUri } from './uri';
export { compileToolFilter, type CompiledToolFilter, type ToolVerdict } from './toolFilter';
export { compileToolConfirm, type CompiledToolConfirm } from './toolConfirm';
