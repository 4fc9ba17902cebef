// Packages an extension folder to a VSIX with the repo's own @vscode/vsce (works offline).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './environment';

const execFileAsync = promisify(execFile);

export class PackagingError extends Error {
  readonly code = 'E2E_PACKAGING_FAILED';
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'PackagingError';
  }
}

/** Runs `vsce package` in `extensionDir` and returns the path of the VSIX written to `outFile`. */
export async function packageVsix(extensionDir: string, outFile: string): Promise<string> {
  const vsce = join(REPO_ROOT, 'node_modules', '.bin', 'vsce');
  try {
    await execFileAsync(
      vsce,
      // No dependencies to bundle, and test extensions have no repository or LICENSE file;
      // without these flags vsce stops to ask.
      ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', outFile],
      { cwd: extensionDir, timeout: 60_000 },
    );
  } catch (cause) {
    const output = (cause as { stdout?: string; stderr?: string });
    throw new PackagingError(
      `vsce could not package ${extensionDir}:\n${output.stderr ?? ''}${output.stdout ?? ''}`.trim(),
      { cause },
    );
  }
  return outFile;
}
