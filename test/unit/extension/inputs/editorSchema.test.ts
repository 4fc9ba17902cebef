/**
 * VS Code's schema for `.mcplex.jsonc` flags nothing (mcplex's diagnostics report each problem
 * once, with a fix) and offers what the full schema offers. The committed
 * schemas/mcplex.editor.schema.json is `editorSchema(schemas/mcplex.schema.json)`; after a
 * change of the full schema, run this test with UPDATE_EDITOR_SCHEMA=1 to write it again.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, type ParseError } from 'jsonc-parser';
import Ajv from 'ajv';
import { editorSchema } from '../../../../src/extension/inputs/editorSchema';
import { schemaText } from '../../../../src/extension/inputs/schemaDocument';
import { fixtures } from '../../../fixtures/configs/fixtures';
import { SCHEMA_FILE } from '../../../helpers/schemaValidator';

const EDITOR_FILE = join(SCHEMA_FILE, '..', 'mcplex.editor.schema.json');
const full = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, never>;
const derived = editorSchema(full);

test('the committed editor schema is the full schema without what refuses values', () => {
  const text = `${JSON.stringify(derived, null, 2)}\n`;
  if (process.env['UPDATE_EDITOR_SCHEMA'] === '1') writeFileSync(EDITOR_FILE, text);
  assert.equal(readFileSync(EDITOR_FILE, 'utf8'), text, 'run this test with UPDATE_EDITOR_SCHEMA=1 to write schemas/mcplex.editor.schema.json again');
  assert.equal(JSON.parse(schemaText()).$id, full.$id, 'the mcplex-schema: URI serves the same');
  assert.deepEqual(JSON.parse(schemaText()), derived);
});

test('it accepts every fixture mcplex rejects, so each problem is reported once, by mcplex', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(derived);
  for (const fixture of [...fixtures('bad'), ...fixtures('bad-semantic'), ...fixtures('good')]) {
    const errors: ParseError[] = [];
    const value: unknown = parse(fixture.text, errors, { allowTrailingComma: true });
    if (errors.length > 0) continue;
    assert.equal(validate(value), true, `${fixture.group}/${fixture.name}: ${ajv.errorsText(validate.errors)}`);
  }
  assert.equal(validate({ servers: { s: { comand: 'x', instances: { a: { lable: 'A' } } } } }), true);
});

test('it keeps what completion and hovers read: every property with its description, and enum values as examples', () => {
  const paths = (schema: unknown, at = ''): string[] => {
    if (typeof schema !== 'object' || schema === null) return [];
    // propertyNames, if, then, not: only refusals, no completion or hover reads them.
    const refusing = ['propertyNames', 'if', 'then', 'not', 'dependencies'];
    return Object.entries(schema).filter(([key]) => !refusing.includes(key)).flatMap(([key, value]) => (['description', 'markdownDescription', 'defaultSnippets', 'default', '$ref'].includes(key) ? [`${at}/${key}`] : paths(value, `${at}/${key === 'oneOf' ? 'anyOf' : key}`)));
  };
  const kept = new Set(paths(derived));
  assert.deepEqual(paths(full).filter((path) => !kept.has(path)), [], 'nothing completion or hovers read is lost');
  const transport = (derived as { definitions: Record<string, { properties?: Record<string, { examples?: unknown[] }> }> }).definitions;
  const offered = Object.values(transport).flatMap((definition) => Object.values(definition.properties ?? {}).flatMap((property) => property.examples ?? []));
  assert.ok(offered.includes('oauth') || offered.includes('http'), JSON.stringify(offered).slice(0, 300));
});
