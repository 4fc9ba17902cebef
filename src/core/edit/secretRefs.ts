/** Every `${secret:NAME}` a config text references, for "Set Secret" / "Clear Secret". */
import { visit } from 'jsonc-parser';
import { parseTemplate, secretNames } from '../config';

export function secretReferences(text: string): string[] {
  const names: string[] = [];
  visit(text, {
    onLiteralValue: (value: unknown) => {
      if (typeof value !== 'string') return;
      for (const name of secretNames(parseTemplate(value))) if (!names.includes(name)) names.push(name);
    },
  }, { allowTrailingComma: true });
  return names;
}
