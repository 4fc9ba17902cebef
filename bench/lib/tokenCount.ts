/** The token counter of the `tokens` section, apart from its servers so a test can load it alone. */
import { encode } from 'gpt-tokenizer';

/** Tokens of `value` as the model would get it: a string as it is, anything else as JSON (o200k_base, GPT-4o's encoding). */
export function countTokens(value: unknown): number {
  return encode(typeof value === 'string' ? value : JSON.stringify(value)).length;
}
