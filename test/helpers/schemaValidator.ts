/**
 * The JSON Schema of `.mcplex.jsonc` compiled by ajv, for tests that hold it to the
 * validator's verdicts. VS Code's own keywords are declared; strict mode stays on for
 * everything else, so a typo in the schema fails instead of being ignored.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';

export const SCHEMA_FILE = join(__dirname, '..', '..', 'schemas', 'mcplex.schema.json');

const VSCODE_KEYWORDS = ['markdownDescription', 'defaultSnippets', 'patternErrorMessage', 'enumDescriptions', 'allowComments', 'allowTrailingCommas'];

export const schemaAjv = new Ajv({ allErrors: true });
schemaAjv.addVocabulary(VSCODE_KEYWORDS);

export function compileSchema(): ReturnType<Ajv['compile']> {
  return schemaAjv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
}
