/**
 * The JSON Schema (what VS Code shows while typing) and the validator (what mcplex
 * enforces) must agree on every fixture. `bad-semantic/` holds what JSON Schema cannot
 * express — "exactly one of `command`/`url` after merging with the server", duplicate
 * keys, `${...}` references, URLs that only look right — so there only the validator
 * says "invalid" and the schema is expected to accept.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse, type ParseError } from 'jsonc-parser';
import { parseConfig } from '../../../../src/core/config/index';
import { hasErrors } from '../../../../src/core/problems';
import { fixtures, type Fixture } from '../../../fixtures/configs/fixtures';
import { compileSchema, SCHEMA_FILE, schemaAjv } from '../../../helpers/schemaValidator';

const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
const validate = compileSchema();

function schemaAccepts(fixture: Fixture): boolean {
  const errors: ParseError[] = [];
  const value: unknown = parse(fixture.text, errors, { allowTrailingComma: true });
  return errors.length === 0 && validate(value) === true;
}

function validatorAccepts(fixture: Fixture): boolean {
  return !hasErrors(parseConfig(fixture.text, fixture.file).problems);
}

describe('schema agrees with the validator', () => {
  it('is a draft-07 schema', () => {
    assert.equal(schema['$schema'], 'http://json-schema.org/draft-07/schema#');
  });

  for (const fixture of fixtures('good')) {
    it(`both accept good/${fixture.name}`, () => {
      assert.equal(validatorAccepts(fixture), true, 'validator');
      assert.equal(schemaAccepts(fixture), true, `schema: ${schemaAjv.errorsText(validate.errors)}`);
    });
  }
  for (const fixture of fixtures('bad')) {
    it(`both reject bad/${fixture.name}`, () => {
      assert.equal(validatorAccepts(fixture), false, 'validator');
      assert.equal(schemaAccepts(fixture), false, 'schema');
    });
  }
  for (const fixture of fixtures('bad-semantic')) {
    it(`only the validator rejects bad-semantic/${fixture.name}`, () => {
      assert.equal(validatorAccepts(fixture), false, 'validator');
      assert.equal(schemaAccepts(fixture), true, `schema: ${schemaAjv.errorsText(validate.errors)}`);
    });
  }

  // Each rule once, on its own, so a rule present on one side only cannot hide behind
  // another mistake in the same fixture.
  const base = { servers: { s: { command: 'x', instances: { a: {} } } } };
  const variants: Record<string, unknown> = {
    'valid base': base,
    'bad server id': { servers: { 'a b': base.servers.s } },
    'bad instance id': { servers: { s: { command: 'x', instances: { _a: {} } } } },
    'unknown top-level key': { ...base, extra: 1 },
    'unknown server key': { servers: { s: { ...base.servers.s, credentials: {} } } },
    'unknown instance key': { servers: { s: { command: 'x', instances: { a: { instances: {} } } } } },
    'empty label': { servers: { s: { ...base.servers.s, label: ' ' } } },
    'empty command': { servers: { s: { ...base.servers.s, command: '' } } },
    'number arg': { servers: { s: { ...base.servers.s, args: [1] } } },
    'env name with =': { servers: { s: { ...base.servers.s, env: { 'A=B': 'x' } } } },
    'header name with space': { servers: { s: { ...base.servers.s, headers: { 'A B': 'x' } } } },
    'url scheme': { servers: { s: { url: 'ws://e.com', instances: { a: {} } } } },
    'url from a variable': { servers: { s: { url: '${env:URL}', instances: { a: {} } } } },
    'transport': { servers: { s: { ...base.servers.s, transport: 'stdio' } } },
    'tools key': { servers: { s: { ...base.servers.s, tools: { only: [] } } } },
    'tools allow type': { servers: { s: { ...base.servers.s, tools: { allow: 'a' } } } },
    'separator too long': { ...base, separator: '____' },
    'separator colon': { ...base, separator: ':' },
    'separator slash': { ...base, separator: '/' },
    'note type': { ...base, note: false },
    'toolPrefix false': { ...base, toolPrefix: false },
    'toolPrefix as a string': { ...base, toolPrefix: 'none' },
    'empty instances': { servers: { s: { command: 'x', instances: {} } } },
    'no servers': {},
  };
  for (const [name, value] of Object.entries(variants)) {
    it(`agrees on: ${name}`, () => {
      const text = JSON.stringify(value, null, 2);
      const validator = !hasErrors(parseConfig(text, 'f').problems);
      const bySchema = validate(value) === true;
      assert.equal(bySchema, validator, `schema says ${bySchema}, validator ${validator}`);
    });
  }
});
