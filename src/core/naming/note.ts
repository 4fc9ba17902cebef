export const DEFAULT_NOTE_TEMPLATE =
  'Note: this is one of multiple instances of this server, labeled "{label}".';

/** The sentence that tells the model which account a tool, prompt or resource belongs to. */
export function instanceNote(label: string, template: string = DEFAULT_NOTE_TEMPLATE): string {
  return template.replaceAll('{label}', label);
}

/**
 * `description` followed by the note on a paragraph of its own. Appending twice adds
 * it once, so a relay may re-apply it to descriptions it has seen before.
 */
export function appendNote(description: string | undefined, note: string): string {
  const text = description?.trimEnd() ?? '';
  if (text === '') {
    return note;
  }
  if (note === '' || text.endsWith(note)) {
    return text;
  }
  return `${text}\n\n${note}`;
}
