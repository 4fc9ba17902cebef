import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { copilotServerName, definitionLabel, distinctCopilotLabels, qualifyLabel } from '../../../../src/core/naming';

/*
 * VS Code 1.139.1's built-in Copilot extension (copilot-chat 0.67.0), source
 * microsoft/vscode-copilot-chat src/extension/agents/copilotcli/node/mcpHandler.ts:
 *
 *   const toolInvalidCharRe = /[^a-z0-9_-]/gi;
 *   private normalizeServerName(originalName: string): string | undefined {
 *     // Convert to lowercase and replace invalid characters with underscore
 *     let normalized = originalName.toLowerCase().replace(toolInvalidCharRe, '_');
 *     // Trim leading and trailing underscores
 *     normalized = normalized.replace(/^_+|_+$/g, '');
 *     // Return undefined if normalization results in empty string
 *     if (!normalized) { … return undefined; }
 *     …
 *
 * The examples below are the ones of its test (src/extension/agents/copilotcli/node/test/
 * mcpHandler.spec.ts, 'server name normalization') and the issue's `Notes · Work`.
 */
describe('copilotServerName: VS Code 1.139 Copilot CLI rule', () => {
  it('gives the names of the Copilot extension’s own tests', () => {
    // "My Cool Server!" -> "my_cool_server_" -> trailing underscores trimmed -> "my_cool_server"
    assert.equal(copilotServerName('My Cool Server!'), 'my_cool_server');
    assert.equal(copilotServerName('___test___'), 'test');
    assert.equal(copilotServerName('valid-name'), 'valid-name');
    assert.equal(copilotServerName('MyServer'), 'myserver');
    // "The normalized name of "io.github.github.github-mcp-server" includes dots -> underscores"
    assert.equal(copilotServerName('io.github.github.github-mcp-server'), 'io_github_github_github-mcp-server');
    // 'skips servers whose names normalize to empty string'
    assert.equal(copilotServerName('!!!'), undefined);
  });

  it('turns each character outside [a-z0-9_-] into its own underscore, not a run', () => {
    assert.equal(copilotServerName('Notes · Work'), 'notes___work');
    assert.equal(copilotServerName('Notes (work)'), 'notes__work');
    assert.equal(copilotServerName('Notes (work, app)'), 'notes__work__app');
  });

  it('reads UTF-16 units as VS Code’s regex does (no u flag) and keeps no length limit', () => {
    assert.equal(copilotServerName('Café'), 'caf');
    assert.equal(copilotServerName('a😀b'), 'a__b', 'a character outside the BMP is two units, two underscores');
    assert.equal(copilotServerName('日本語 (仕事)'), undefined);
    assert.equal(copilotServerName('x'.repeat(300)), 'x'.repeat(300));
  });
});

describe('definition labels', () => {
  it('puts qualifiers in one pair of parentheses', () => {
    assert.equal(definitionLabel('Notes', []), 'Notes');
    assert.equal(definitionLabel('Notes', ['Work']), 'Notes (Work)');
    assert.equal(qualifyLabel('Notes (Work)', 'app'), 'Notes (Work, app)');
    assert.equal(qualifyLabel('MCPlex', 'app'), 'MCPlex (app)');
  });
});

describe('distinctCopilotLabels', () => {
  it('leaves labels alone whose names are distinct', () => {
    const labels = distinctCopilotLabels([
      { key: 'a', label: 'Notes (Work)', qualifiers: ['x'] },
      { key: 'b', label: 'Notes (Personal)', qualifiers: ['y'] },
    ]);
    assert.deepEqual(labels.get('a'), { label: 'Notes (Work)' });
    assert.deepEqual(labels.get('b'), { label: 'Notes (Personal)' });
  });

  it('qualifies every label of a shared name, those differing only in case or punctuation too, and says with whom', () => {
    const labels = distinctCopilotLabels([
      { key: 'a', label: 'Notes (Work)', qualifiers: ['notes/work'] },
      { key: 'b', label: 'notes (work)', qualifiers: ['notes2/work'] },
      { key: 'c', label: 'Notes: Work', qualifiers: ['notes3/work'] },
      { key: 'd', label: 'Notes (Personal)', qualifiers: ['notes/personal'] },
    ]);
    assert.deepEqual(labels.get('a'), { label: 'Notes (Work, notes/work)', reason: 'shared', sharedWith: ['b', 'c'] });
    assert.deepEqual(labels.get('b'), { label: 'notes (work, notes2/work)', reason: 'shared', sharedWith: ['a', 'c'] });
    assert.equal(labels.get('c')?.label, 'Notes: Work (notes3/work)');
    assert.deepEqual(labels.get('d'), { label: 'Notes (Personal)' }, 'the unrelated label keeps its text');
  });

  it('gives a label without a name its qualifier', () => {
    const labels = distinctCopilotLabels([{ key: 'a', label: '日本語 (仕事)', qualifiers: ['notes/work'] }]);
    assert.deepEqual(labels.get('a'), { label: '日本語 (仕事, notes/work)', reason: 'empty' });
    assert.equal(copilotServerName(labels.get('a')?.label ?? ''), 'notes_work');
  });

  it('falls back on a hash of the key when the qualifiers run out or meet again', () => {
    const labels = distinctCopilotLabels([
      { key: 'a', label: 'Notes', qualifiers: ['same'] },
      { key: 'b', label: 'notes', qualifiers: ['same'] },
    ]);
    const [a, b] = [labels.get('a')?.label ?? '', labels.get('b')?.label ?? ''];
    assert.match(a, /^Notes \(same, [0-9a-f]{4}\)$/);
    assert.match(b, /^notes \(same, [0-9a-f]{4}\)$/);
    assert.notEqual(copilotServerName(a), copilotServerName(b));
  });
});
