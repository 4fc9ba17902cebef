// Issue 18: the benchmark's token counter (bench/lib/tokenCount.ts) counts with the real
// o200k_base tokenizer, and the discovery endpoint's list stays under its 1,000-token target
// whatever is behind it (its three tools are fixed, so this holds for every catalog).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens } from '../../../bench/lib/tokenCount';
import { DISCOVERY_TOOLS } from '../../../src/core/discovery';

describe('the token counter of the benchmark', () => {
  it('counts o200k_base tokens of text, and of anything else as its JSON', () => {
    assert.equal(countTokens('hello world'), 2);
    assert.equal(countTokens({ a: 1 }), countTokens('{"a":1}'));
    assert.ok(countTokens('word '.repeat(100)) >= 100);
  });

  it('discovery\'s tools/list costs under 1,000 tokens', () => {
    const tokens = countTokens(DISCOVERY_TOOLS);
    assert.ok(tokens > 100 && tokens < 1000, `${tokens} tokens`);
  });
});
