/** Every `${secret:NAME}` a config text references, for "Set Secret" / "Clear Secret". */
import { visit } from 'jsonc-parser';
import { parseTemplate, secretNames, tooDeepAt, withoutByteOrderMark } from '../config';

export function secretReferences(text: string): string[] {
  const names: string[] = [];
  const parsable = withoutByteOrderMark(text);
  // jsonc-parser's visitor recurses per level; the loader reports such a file.
  if (tooDeepAt(parsable) !== undefined) return names;
  visit(parsable, {
    onLiteralValue: (value: unknown) => {
      if (typeof value !== 'string') return;
      for (const name of secretNames(parseTemplate(value))) if (!names.includes(name)) names.push(name);
    },
  }, { allowTrailingComma: true });
  return names;
}
