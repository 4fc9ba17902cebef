// DESIGN.md: `src/core` never imports `vscode`, so the CLI and the tests run on plain Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CORE = join(__dirname, '..', '..', 'src', 'core');
const IMPORTS_VSCODE = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]vscode['"]/;
const IMPORTS_OUTSIDE_CORE = /from\s+['"](?:\.\.\/)+(?:extension|cli)\//;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

test('no file under src/core imports vscode or the layers above it', () => {
  const files = sourceFiles(CORE);
  assert.ok(files.length > 0, 'src/core has source files');
  const offenders = files.filter((file) => {
    const text = readFileSync(file, 'utf8');
    return IMPORTS_VSCODE.test(text) || IMPORTS_OUTSIDE_CORE.test(text);
  });
  assert.deepEqual(offenders, []);
});
