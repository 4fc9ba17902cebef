/** Secret values kept out of messages, logs and the CLI's output: one placeholder, one rule. */
export { headerSecrets, MIN_REDACTED_LENGTH, REDACTED, Redactor, redactValues } from './redactor';
