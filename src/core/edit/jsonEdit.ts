/**
 * Edits of JSON-with-comments text that leave everything else as the user wrote it:
 * comments, order, blank lines, trailing commas, tabs or spaces, CRLF. jsonc-parser finds
 * the places; the text inserted is rendered here rather than by its formatter, because
 * `modify` with formatting options re-formats every line the edit touches (a neighbour's
 * `{ "ACCOUNT": "work" }` would be spread over three lines).
 *
 * Rules: a new property goes on its own line after the last one, copying its indentation
 * and its trailing comma habit; into an object or array written on one line, it goes on
 * that line; a removed property takes its own lines and the comment lines just above it.
 */
import { applyEdits, modify, parseTree, stripComments, type Edit, type Node, type ParseError } from 'jsonc-parser';
import { tooDeepAt, tooDeepMessage, withoutByteOrderMark } from '../config';
import { EditError } from './errors';
import { renderInline, renderJson, type JsonValue } from './renderJson';
import { detectStyle, lineEnd, lineIndentAt, lineStart, type TextStyle } from './textStyle';

export type EditPath = readonly (string | number)[];

/** Sets the value at `path`, creating the objects on the way. Empty text becomes a document. */
export function setValue(text: string, path: EditPath, value: JsonValue, style: TextStyle = detectStyle(text)): string {
  const root = parseStrict(text);
  if (root === undefined) {
    const document = renderJson(nest(path, value), '', style);
    return `${text}${document}${style.eol}`;
  }
  const { node, depth } = deepest(root, path);
  if (depth === path.length) return applyEdits(text, [replaceEdit(text, node, value, style)]);
  const key = path[depth];
  if (node.type !== 'object' || typeof key !== 'string') {
    throw new EditError('unexpected-shape', `Cannot add "${String(key)}" at ${describe(path.slice(0, depth))}: it is ${node.type === 'array' ? 'a list' : `a ${node.type}`}, not an object. Fix the file and try again.`);
  }
  return applyEdits(text, insertMember(text, node, `${JSON.stringify(key)}: `, nest(path.slice(depth + 1), value), style));
}

/** Appends `item` to the array at `path` (created when missing). */
export function appendToArray(text: string, path: EditPath, item: JsonValue, style: TextStyle = detectStyle(text)): string {
  const root = parseStrict(text);
  const found = root === undefined ? undefined : deepest(root, path);
  if (found === undefined || found.depth < path.length) return setValue(text, path, [item], style);
  if (found.node.type !== 'array') {
    throw new EditError('unexpected-shape', `${describe(path)} is not a list; make it a list such as ["name"] and try again.`);
  }
  return applyEdits(text, insertMember(text, found.node, '', item, style));
}

/** Removes the value at `path` (and its property); missing is an error. */
export function removeValue(text: string, path: EditPath): string {
  const root = parseStrict(text);
  const found = root === undefined ? undefined : deepest(root, path);
  if (found === undefined || found.depth < path.length) {
    throw new EditError('not-found', `${describe(path)} is not in the file any more; nothing to remove.`);
  }
  const member = found.node.parent?.type === 'property' ? found.node.parent : found.node;
  const container = member.parent;
  if (container === undefined) throw new EditError('unexpected-shape', 'Cannot remove the whole document.');
  const whole = removeWholeLines(text, member, container);
  if (whole !== undefined) return applyEdits(text, whole);
  return applyEdits(text, modify(text, [...path], undefined, {}));
}

/** The parsed value at `path`, or undefined. */
export function nodeAt(text: string, path: EditPath): Node | undefined {
  const root = parseStrict(text);
  if (root === undefined) return undefined;
  const found = deepest(root, path);
  return found.depth === path.length ? found.node : undefined;
}

export function parseStrict(text: string): Node | undefined {
  // Blank, or comments only: no document yet (jsonc-parser calls that an error).
  if (stripComments(text).trim() === '') return undefined;
  // Offsets into the masked text are offsets into `text`: edits applied to it keep its byte order mark.
  const parsable = withoutByteOrderMark(text);
  const deep = tooDeepAt(parsable);
  if (deep !== undefined) throw new EditError('unparsable', `${tooDeepMessage()} (line ${lineOf(text, deep)})`);
  const errors: ParseError[] = [];
  const root = parseTree(parsable, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    throw new EditError('unparsable', `The file does not parse (line ${lineOf(text, errors[0]?.offset ?? 0)}); fix it and try again.`);
  }
  return root;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function deepest(root: Node, path: EditPath): { node: Node; depth: number } {
  let node = root;
  let depth = 0;
  for (const segment of path) {
    let next: Node | undefined;
    if (node.type === 'object' && typeof segment === 'string') {
      next = node.children?.find((property) => property.children?.[0]?.value === segment)?.children?.[1];
    } else if (node.type === 'array' && typeof segment === 'number') {
      next = node.children?.[segment];
    }
    if (next === undefined) break;
    node = next;
    depth += 1;
  }
  return { node, depth };
}

function nest(path: EditPath, value: JsonValue): JsonValue {
  return path.reduceRight<JsonValue>((inner, segment) => ({ [String(segment)]: inner }), value);
}

function onOneLine(text: string, node: Node): boolean {
  return !/[\r\n]/.test(text.slice(node.offset, node.offset + node.length));
}

function replaceEdit(text: string, node: Node, value: JsonValue, style: TextStyle): Edit {
  const hasMembers = (node.children?.length ?? 0) > 0 && (node.type === 'object' || node.type === 'array');
  const scalar = node.type !== 'object' && node.type !== 'array';
  const inline = onOneLine(text, node) && (hasMembers || scalar);
  const content = inline ? renderInline(value) : renderJson(value, lineIndentAt(text, node.offset), style);
  return { offset: node.offset, length: node.length, content };
}

/** `head` is `"key": ` for an object's property, empty for an array's item. */
function insertMember(text: string, container: Node, head: string, value: JsonValue, style: TextStyle): Edit[] {
  const members = container.children ?? [];
  const last = members[members.length - 1];
  const close = container.offset + container.length - 1;
  if (last === undefined) {
    if (container.type === 'array') return [{ offset: container.offset, length: container.length, content: `[${renderInline(value)}]` }];
    const closeIndent = lineIndentAt(text, close);
    const closeStartsLine = text.slice(lineStart(text, close), close).trim() === '';
    if (closeStartsLine && !onOneLine(text, container)) {
      // `{` … comments … `}`: the new property goes just above the `}`, the comments stay.
      const inner = closeIndent + style.indent;
      return [{ offset: lineStart(text, close), length: 0, content: `${inner}${head}${renderJson(value, inner, style)}${style.eol}` }];
    }
    const indent = lineIndentAt(text, container.offset);
    const inner = indent + style.indent;
    return [{ offset: container.offset, length: container.length, content: `{${style.eol}${inner}${head}${renderJson(value, inner, style)}${style.eol}${indent}}` }];
  }
  const lastEnd = last.offset + last.length;
  if (onOneLine(text, container)) return [{ offset: lastEnd, length: 0, content: `, ${head}${renderInline(value)}` }];
  const rest = text.slice(lastEnd, lineEnd(text, lastEnd));
  const tail = /^\s*(,)?\s*(?:\/\/.*|\/\*.*\*\/\s*)?$/.exec(rest);
  if (tail === null) return [{ offset: lastEnd, length: 0, content: `, ${head}${renderInline(value)}` }];
  const indent = lineIndentAt(text, last.offset);
  const member = `${head}${renderJson(value, indent, style)}`;
  const end = lineEnd(text, lastEnd);
  // A comma after the last member is the file's trailing-comma habit: keep it for ours.
  if (tail[1] === ',') return [{ offset: end, length: 0, content: `${style.eol}${indent}${member},` }];
  return [
    { offset: lastEnd, length: 0, content: ',' },
    { offset: end, length: 0, content: `${style.eol}${indent}${member}` },
  ];
}

/**
 * When the member sits on lines of its own, removes those lines, the comment lines
 * right above it, and, if it was the last member, the comma it leaves dangling on the one
 * before (unless the file uses trailing commas). Undefined when it shares a line.
 */
function removeWholeLines(text: string, member: Node, container: Node): Edit[] | undefined {
  const memberEnd = member.offset + member.length;
  const before = text.slice(lineStart(text, member.offset), member.offset);
  const after = text.slice(memberEnd, lineEnd(text, memberEnd));
  const tail = /^\s*(,)?\s*(?:\/\/.*)?$/.exec(after);
  if (before.trim() !== '' || tail === null) return undefined;
  let start = lineStart(text, member.offset);
  // Comment lines directly above describe the member: they go with it.
  for (;;) {
    if (start === 0) break;
    // Step back over the whole line break (CRLF too) to the line above.
    const previousStart = lineStart(text, start - (text.startsWith('\r\n', start - 2) ? 2 : 1));
    const previous = text.slice(previousStart, start).trim();
    if (!previous.startsWith('//')) break;
    start = previousStart;
  }
  let end = lineEnd(text, memberEnd);
  if (text.startsWith('\r\n', end)) end += 2;
  else if (text[end] === '\n') end += 1;
  const edits: Edit[] = [{ offset: start, length: end - start, content: '' }];
  const siblings = container.children ?? [];
  const index = siblings.indexOf(member);
  const previous = siblings[index - 1];
  const wasLast = index === siblings.length - 1;
  if (wasLast && tail[1] !== ',' && previous !== undefined) {
    const previousEnd = previous.offset + previous.length;
    const comma = /^\s*,/.exec(text.slice(previousEnd, start));
    if (comma !== null) edits.push({ offset: previousEnd + comma[0].length - 1, length: 1, content: '' });
  }
  return edits;
}

function describe(path: EditPath): string {
  return path.length === 0 ? 'the document' : `\`${path.join('.')}\``;
}
