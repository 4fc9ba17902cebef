/**
 * The schema VS Code is given for `.mcplex.jsonc`: the full schema (schemas/mcplex.schema.json,
 * held to the validator by the schema test) without the keywords that make VS Code flag
 * anything. mcplex's own diagnostics already report every problem, with its position, a
 * "did you mean" and a quick fix; the schema's warning beside them said the same thing twice.
 * What completion and hovers read (properties, descriptions, defaults, snippets, examples,
 * `$ref`s) stays; an `enum` or a `const` becomes `examples`, so its values are still offered.
 * The result is committed as schemas/mcplex.editor.schema.json (see editorSchema.test.ts).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Keywords that only ever refuse a value. */
const REFUSING = new Set([
  'required', 'pattern', 'patternErrorMessage', 'minLength', 'maxLength', 'minProperties', 'maxProperties',
  'minItems', 'maxItems', 'uniqueItems', 'propertyNames', 'minimum', 'maximum', 'exclusiveMinimum',
  'exclusiveMaximum', 'multipleOf', 'not', 'format', 'dependencies', 'if', 'then', 'else', 'type', 'enum',
  'const', 'enumDescriptions',
]);

/** Keywords whose value is a map of name → schema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions']);
/** Keywords whose value is a schema or a list of schemas. */
const SCHEMAS = new Set(['items', 'additionalProperties', 'allOf', 'anyOf', 'oneOf']);

export function editorSchema(schema: JsonObject): JsonObject {
  return strip(schema);
}

function strip(schema: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (REFUSING.has(key)) continue;
    // `additionalProperties: false` refuses unknown keys; a schema there still types the values.
    if (key === 'additionalProperties' && typeof value === 'boolean') continue;
    // `oneOf` refuses a value that more than one branch accepts, which every stripped branch does.
    const name = key === 'oneOf' ? 'anyOf' : key;
    if (SCHEMA_MAPS.has(key) && isObject(value)) out[name] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isObject(v) ? strip(v) : v]));
    else if (SCHEMAS.has(key)) out[name] = Array.isArray(value) ? value.map((v) => (isObject(v) ? strip(v) : v)) : isObject(value) ? strip(value) : value;
    else out[name] = value;
  }
  const examples = [...(Array.isArray(schema['examples']) ? schema['examples'] : []), ...offered(schema)];
  if (examples.length > 0) out['examples'] = [...new Map(examples.map((value) => [JSON.stringify(value), value])).values()];
  const snippet = typeSnippet(schema['type']);
  if (snippet !== undefined && out['defaultSnippets'] === undefined && out['default'] === undefined && out['examples'] === undefined) out['defaultSnippets'] = [{ body: snippet }];
  return out;
}

/** The values an `enum`, a `const` or a boolean `type` offered in completion. */
function offered(schema: JsonObject): Json[] {
  if (Array.isArray(schema['enum'])) return schema['enum'];
  if (schema['const'] !== undefined) return [schema['const']];
  if (schema['type'] === 'boolean') return [true, false];
  return [];
}

/** What completing a key inserted from its `type` (`{}`, `[]`), kept once `type` is gone. */
function typeSnippet(type: Json | undefined): Json | undefined {
  if (type === 'object') return {};
  if (type === 'array') return [];
  return undefined;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
