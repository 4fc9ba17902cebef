// The product's VSIX, built and packaged as a user gets it: .vscodeignore decides the
// content, and everything the extension runs is bundled into dist/extension.js.
// vsce takes about 5 s, and every e2e file needs the same VSIX, so it is kept under the
// e2e cache by the digest of what goes into it and packaged again only when that changes.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { CACHE_DIR, REPO_ROOT } from './environment';
import { PackagingError } from './vsix';

const execFileAsync = promisify(execFile);

/** What .vscodeignore lets into the VSIX (kept in step with it by hand; a miss only costs a repackage). */
const PACKAGED = ['dist/extension.js', 'schemas', 'media', 'package.json', 'README.md', 'docs', 'CHANGELOG.md', 'LICENSE', '.vscodeignore'];

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((name) => filesUnder(join(path, name)));
}

function contentDigest(): string {
  const hash = createHash('sha256');
  for (const file of PACKAGED.flatMap((entry) => filesUnder(join(REPO_ROOT, entry)))) {
    hash.update(relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** A VSIX unused for an hour is another version's; younger ones may belong to a run in progress elsewhere. */
const STALE_AFTER_MS = 60 * 60 * 1000;

function removeStale(cacheDir: string): void {
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name);
    if (name.startsWith('mcplex-') && Date.now() - statSync(path).mtimeMs > STALE_AFTER_MS) rmSync(path, { force: true });
  }
}

/** Builds dist/ (esbuild, about a second) and returns `<outDir>/mcplex.vsix` of the current sources. */
export async function packageExtension(outDir: string): Promise<string> {
  const outFile = join(outDir, 'mcplex.vsix');
  try {
    await execFileAsync(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, timeout: 120_000 });
    const cacheDir = join(CACHE_DIR, 'vsix');
    const cached = join(cacheDir, `mcplex-${contentDigest()}.vsix`);
    if (!existsSync(cached)) {
      mkdirSync(cacheDir, { recursive: true });
      const partial = `${cached}.${process.pid}.partial.vsix`;
      await execFileAsync(
        join(REPO_ROOT, 'node_modules', '.bin', 'vsce'),
        // The manifest names no repository yet, so README's relative links stay as they are.
        ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', partial],
        { cwd: REPO_ROOT, timeout: 120_000 },
      );
      renameSync(partial, cached);
      removeStale(cacheDir);
    }
    // Used now: a parallel run of other sources (another worktree) must not take it as stale.
    utimesSync(cached, new Date(), new Date());
    copyFileSync(cached, outFile);
  } catch (cause) {
    const output = cause as { stdout?: string; stderr?: string };
    throw new PackagingError(`building or packaging the extension failed:\n${output.stderr ?? ''}${output.stdout ?? ''}`.trim(), { cause });
  }
  return outFile;
}
