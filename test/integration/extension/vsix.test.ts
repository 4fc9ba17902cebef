// The VSIX a user installs, packaged by the real vsce with nothing but the flag the README's
// relative links need (the manifest's `vsce` section supplies the rest; CONTRIBUTING.md
// says why): the extension page's README and icon are in it, and no source or test file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { REPO_ROOT } from '../../helpers/cli';

const execFileAsync = promisify(execFile);

interface ZipEntry {
  readonly name: string;
  /** Where its local header starts. */
  readonly offset: number;
}

/** The entries of a zip's central directory (the end record points at it). */
function zipEntries(zip: Buffer): ZipEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'not a zip file');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'a central directory entry');
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({ name: zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'), offset: zip.readUInt32LE(at + 42) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** One entry's content: stored or deflated, as vsce writes them. */
function zipContent(zip: Buffer, entry: ZipEntry): Buffer {
  const method = zip.readUInt16LE(entry.offset + 8);
  const size = zip.readUInt32LE(entry.offset + 18);
  const start = entry.offset + 30 + zip.readUInt16LE(entry.offset + 26) + zip.readUInt16LE(entry.offset + 28);
  const data = zip.subarray(start, start + size);
  return method === 8 ? inflateRawSync(data) : data;
}

test('vsce packages the extension page (README, icon, screenshot) and the bundle, nothing of the sources', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcplex-vsix-'));
  try {
    const out = join(dir, 'mcplex.vsix');
    await execFileAsync(join(REPO_ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-rewrite-relative-links', '--out', out], { cwd: REPO_ROOT, timeout: 110_000 });
    const zip = readFileSync(out);
    const directory = zipEntries(zip);
    const entries = directory.map((entry) => entry.name).sort();
    for (const wanted of ['extension/package.json', 'extension/readme.md', 'extension/media/icon.png', 'extension/media/readme-tree.png', 'extension/dist/extension.js', 'extension/schemas/mcplex.schema.json', 'extension/LICENSE.txt']) {
      assert.ok(entries.includes(wanted), `${wanted} is missing from ${JSON.stringify(entries)}`);
    }
    const leaked = entries.filter((entry) => /^extension\/(src|test|bench|examples|node_modules|\.vscode)\/|\.ts$|\.map$|^extension\/(CONTRIBUTING|ARCHITECTURE)\.md$|^extension\/dist\/cli\.js$/.test(entry));
    assert.deepEqual(leaked, []);
    const vsixManifest = directory.find((entry) => entry.name === 'extension.vsixmanifest');
    assert.ok(vsixManifest !== undefined, JSON.stringify(entries));
    const manifest = zipContent(zip, vsixManifest).toString('utf8');
    assert.match(manifest, /<Icon>extension\/media\/icon\.png<\/Icon>/, 'the vsixmanifest names the icon');
    // Every link the README makes into the repository resolves inside the VSIX, so the extension page has no dead link but CONTRIBUTING.md.
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const relative = [...readme.matchAll(/\]\(([^)#:]+)(?:#[^)]*)?\)/g)].map((match) => match[1] ?? '').filter((link) => link !== 'CONTRIBUTING.md');
    for (const link of relative) {
      assert.ok(entries.some((entry) => entry === `extension/${link}` || entry.startsWith(`extension/${link}/`)), `README links to ${link}, which the VSIX does not carry`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
