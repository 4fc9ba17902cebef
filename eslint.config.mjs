// @ts-check
// The lint of `npm test`: promises that are awaited or visibly let go (typed, over
// tsconfig.json), no console in src/ (stdout carries the protocol), and the layers:
//   - src/core never imports `vscode`, src/extension or src/cli;
//   - src/core/wire imports nothing of ours;
//   - a folder is imported through its index: a relative import may name a file of its
//     own folder or an ancestor (`./y`, `../y`) or a folder (`../x`, `../../core/config`),
//     never a file inside another folder (`./x/y`, `../mux/relay`).
// The layer rules are written per source folder from the tree itself, so the list of
// folders never goes stale: a folder is one with an index.ts.
import { readdirSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;
const SRC = join(ROOT, 'src');

/** Every folder under src/, as absolute paths. */
function folders(dir) {
  const subfolders = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  return [dir, ...subfolders.flatMap((entry) => folders(join(dir, entry.name)))];
}

const ALL_FOLDERS = folders(SRC);
const INDEXED_FOLDERS = ALL_FOLDERS.filter((dir) => existsSync(join(dir, 'index.ts')));

/** `from` → `to` as an import would spell it (`../core/config`, `./view`). */
function importPath(from, to) {
  const path = relative(from, to).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The import restrictions of the files directly in `dir`. */
function restrictionsFor(dir) {
  const inside = (layer) => dir === layer || dir.startsWith(layer + sep);
  // Two or more segments after the dots (`./x/y`, `../../x/y`) name something inside another
  // folder: allowed only when it is that folder itself (its index). JSON data has no index.
  const folderImports = INDEXED_FOLDERS.map((folder) => importPath(dir, folder)).filter((path) => /^(\.\.?\/)(\.\.\/)*[^./][^/]*\//.test(path));
  const allowed = folderImports.length === 0 ? '' : `(?!(?:${folderImports.map(escape).join('|')})$)`;
  const patterns = [
    {
      regex: `^${allowed}\\.\\.?/(?:\\.\\./)*[^./][^/]*/.*(?<!\\.json)$`,
      message: 'Import another folder through its index (`../x`), not one of its files (`../x/y`).',
    },
  ];
  const paths = [];
  const core = join(SRC, 'core');
  if (inside(core)) {
    paths.push({ name: 'vscode', message: 'src/core never imports vscode: the extension passes in what only it has.' });
    for (const layer of ['extension', 'cli']) {
      patterns.push({
        regex: `^${escape(importPath(dir, join(SRC, layer)))}(?:/|$)`,
        message: `src/core never imports src/${layer}: the layers above use the core, not the other way round.`,
      });
    }
  }
  const wire = join(core, 'wire');
  if (inside(wire)) {
    // One `../` more than the folder is deep inside wire/ leaves it.
    const depth = relative(wire, dir).split(sep).filter(Boolean).length;
    patterns.push({
      regex: `^(?:\\.\\./){${depth + 1}}`,
      message: 'src/core/wire is the ground floor: it imports nothing of ours.',
    });
  }
  return { files: [`${relative(ROOT, dir).split(sep).join('/')}/*.ts`], rules: { 'no-restricted-imports': ['error', { paths, patterns }] } };
}

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'test/e2e/.cache/**', 'test-results/**', 'bench/.peers/**', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: ROOT },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's test(), describe() and hooks return promises the runner itself awaits.
          allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  ...ALL_FOLDERS.map(restrictionsFor),
);
