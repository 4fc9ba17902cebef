// MCP Apps views stay in the `ui://` scheme on a shared endpoint: `ui://<prefix>.<rest>`.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isUiUri, namespaceUiUri, parseNamespacedUiUri, parseNamespacedUri } from '../../../../src/core/naming';

describe('ui:// namespacing', () => {
  it('puts the prefix in front of the authority, in the ui scheme', () => {
    assert.equal(namespaceUiUri('work', 'ui://weather/view.html'), 'ui://work.weather/view.html');
    assert.deepEqual(parseNamespacedUiUri('ui://work.weather/view.html'), { prefix: 'work', uri: 'ui://weather/view.html' });
    // A template still expands to the namespaced form of what the upstream's expands to.
    assert.equal(namespaceUiUri('home', 'ui://weather/views/{name}'), 'ui://home.weather/views/{name}');
  });

  it('keeps the scheme as written and takes URIs without an authority', () => {
    assert.equal(namespaceUiUri('work', 'UI://x'), 'UI://work.x');
    assert.deepEqual(parseNamespacedUiUri('UI://work.x'), { prefix: 'work', uri: 'UI://x' });
    assert.deepEqual(parseNamespacedUiUri(namespaceUiUri('w', 'ui:///a')), { prefix: 'w', uri: 'ui:///a' });
  });

  it('knows a view URI, and is not confused with the mcplex:// form', () => {
    assert.equal(isUiUri('ui://a'), true);
    assert.equal(isUiUri('Ui://a'), true);
    assert.equal(isUiUri('mcplex://work/ui://a'), false);
    assert.equal(isUiUri('guide://a'), false);
    assert.equal(parseNamespacedUiUri('ui://nodot/view'), undefined);
    assert.equal(parseNamespacedUri('ui://work.weather/view'), undefined);
  });

  it('refuses a prefix that could not come back', () => {
    assert.throws(() => namespaceUiUri('a.b', 'ui://x'), /letters, digits/);
  });

  it('round-trips any view URI exactly', () => {
    fc.assert(
      fc.property(fc.constantFrom('work', 'w', 'a-b_2', 'Work'), fc.constantFrom('ui://', 'UI://', 'uI://'), fc.string({ unit: 'binary', maxLength: 80 }), (prefix, scheme, rest) => {
        const uri = `${scheme}${rest}`;
        assert.deepEqual(parseNamespacedUiUri(namespaceUiUri(prefix, uri)), { prefix, uri });
      }),
      { numRuns: 300 },
    );
  });
});
