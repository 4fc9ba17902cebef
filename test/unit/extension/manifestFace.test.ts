// The extension's face as a user meets it before running anything: the settings UI on a
// fresh install (no red error), hovers in the settings and in .mcplex.jsonc (markup only
// where it is rendered), one spelling of the product, and the icon the VSIX carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';

const ROOT = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown> & {
  icon?: string;
  vsce?: Record<string, unknown>;
  contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
};
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'mcplex.schema.json'), 'utf8')) as unknown;

/** The product is "MCPlex" in prose; `mcplex` stays for the command, the package and identifiers. */
const BRAND = 'MCPlex';

/** Keys whose string values VS Code shows to the user. */
const SHOWN = new Set(['displayName', 'description', 'markdownDescription', 'title', 'label', 'category', 'name', 'contextualTitle', 'contents', 'enumDescriptions', 'markdownEnumDescriptions']);

interface Shown {
  readonly path: string;
  readonly key: string;
  readonly text: string;
  readonly siblings: Record<string, unknown>;
}

function shownStrings(value: unknown, path = ''): Shown[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => shownStrings(item, `${path}[${index}]`));
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  return Object.entries(record).flatMap(([key, child]) => {
    const at = `${path}/${key}`;
    if (SHOWN.has(key) && typeof child === 'string') return [{ path: at, key, text: child, siblings: record }];
    if (SHOWN.has(key) && Array.isArray(child) && child.every((item) => typeof item === 'string')) {
      return child.map((text, index) => ({ path: `${at}[${index}]`, key, text: text as string, siblings: record }));
    }
    return shownStrings(child, at);
  });
}

/** The words outside `code spans`, with identifiers that contain the name (`.mcplex.jsonc`, `mcplex.servers`, `command:mcplex.x`) taken out. */
function prose(text: string): string {
  return text
    .split('`')
    .filter((_, index) => index % 2 === 0)
    .join(' ')
    .replace(/[\w:./%-]*[.:/-]mcplex[\w.:/%-]*/gi, ' ')
    .replace(/mcplex(?:[./_-]|:\S)[\w.:/%-]*/gi, ' ');
}

test('a setting with a pattern or choices has a default that passes them (no red error on a fresh install)', () => {
  const ajv = new Ajv({ strict: false });
  for (const [key, property] of Object.entries(manifest.contributes.configuration.properties)) {
    if (property['pattern'] !== undefined || property['enum'] !== undefined) assert.ok('default' in property, `${key} has a pattern or an enum but no default`);
    if (!('default' in property)) continue;
    const { default: value, ...rules } = property;
    assert.ok(ajv.validate(rules, value), `${key}'s default ${JSON.stringify(value)} fails its own schema: ${ajv.errorsText()}`);
  }
});

test('text with markup is a markdownDescription, in the settings and in the .mcplex.jsonc schema', () => {
  const markup = /`|\*\*|\]\(/;
  for (const [where, strings] of [['package.json', shownStrings(manifest.contributes.configuration)], ['schema', shownStrings(schema)]] as const) {
    for (const shown of strings) {
      if (shown.key !== 'description' || !markup.test(shown.text)) continue;
      assert.ok('markdownDescription' in shown.siblings, `${where} ${shown.path} shows raw markup: ${shown.text}`);
    }
  }
});

test(`the product is spelled "${BRAND}" wherever VS Code shows it`, () => {
  // The top-level `name` is the package's id, not a label.
  const strings = [...shownStrings(manifest), ...shownStrings(schema)].filter((shown) => shown.path !== '/name');
  assert.ok(strings.length > 50, 'the walk found the manifest\'s strings');
  const misspelt = strings.filter((shown) => (prose(shown.text).match(/mcplex/gi) ?? []).some((word) => word !== BRAND));
  assert.deepEqual(misspelt.map((shown) => `${shown.path}: ${shown.text}`), []);
  assert.equal(prose('Open `.mcplex.jsonc` or [Add](command:mcplex.addInstance), see mcplex.servers.'), 'Open   or [Add]( ), see  ');
  assert.equal(prose('[Show](command:workbench.view.extension.mcplex) mcplex: Add'), '[Show]( ) mcplex: Add');
});

test('the icon is a 128×128 PNG that .vscodeignore lets into the VSIX', () => {
  assert.equal(manifest.icon, 'media/icon.png');
  const png = readFileSync(join(ROOT, 'media', 'icon.png'));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  // The IHDR chunk comes first: width and height, big-endian, at bytes 16 and 20.
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n');
  assert.ok(ignore.includes('!media/**'), '.vscodeignore keeps media/');
  assert.ok(readFileSync(join(ROOT, 'media', 'icon.svg'), 'utf8').includes('<svg'), 'the icon\'s source is kept beside it');
});

test('packaging needs no flags: everything the extension runs is bundled', () => {
  // `vsce package` would otherwise run `npm list` and ask about the missing repository (see CONTRIBUTING.md).
  assert.deepEqual(manifest.vsce, { dependencies: false, allowMissingRepository: true });
});
