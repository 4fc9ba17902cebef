/**
 * The clone quick fix's edit: give one instance its own state by writing a setting (an env
 * var, or a command-line option) into the instance, keeping the rest of the file as written.
 */
import type { StateSetting } from '../clones';
import { EditError } from './errors';
import { appendToArray, nodeAt, setValue } from './jsonEdit';

/** Writes each setting into `serverId/instanceId`; a setting already there gets the new value. */
export function setStateSettings(text: string, serverId: string, instanceId: string, settings: readonly StateSetting[]): string {
  const instancePath = ['servers', serverId, 'instances', instanceId];
  if (nodeAt(text, instancePath) === undefined) {
    throw new EditError('not-found', `The instance "${serverId}/${instanceId}" is not in the file any more; nothing to change.`);
  }
  let result = text;
  for (const setting of settings) {
    result = setting.kind === 'env' ? setValue(result, [...instancePath, 'env', setting.name], setting.value) : setArg(result, serverId, instancePath, setting);
  }
  return result;
}

/**
 * An instance's `args` replace its server's: one that has none gets the server's list with
 * the option added, so it still starts the same program.
 */
function setArg(text: string, serverId: string, instancePath: readonly string[], setting: Extract<StateSetting, { kind: 'arg' }>): string {
  const argsPath = [...instancePath, 'args'];
  const own = strings(text, argsPath);
  if (own === undefined) {
    const inherited = strings(text, ['servers', serverId, 'args']) ?? [];
    return setValue(text, argsPath, [...withOption(inherited, setting)]);
  }
  const index = own.findIndex((arg) => arg === setting.flag || arg.startsWith(`${setting.flag}=`));
  if (index === -1) return appendToArray(appendToArray(text, argsPath, setting.flag), argsPath, setting.value);
  if (own[index] === setting.flag && index + 1 < own.length) return setValue(text, [...argsPath, index + 1], setting.value);
  if (own[index] === setting.flag) return appendToArray(text, argsPath, setting.value);
  return setValue(text, [...argsPath, index], `${setting.flag}=${setting.value}`);
}

function withOption(args: readonly string[], setting: Extract<StateSetting, { kind: 'arg' }>): readonly string[] {
  const index = args.findIndex((arg) => arg === setting.flag || arg.startsWith(`${setting.flag}=`));
  if (index === -1) return [...args, setting.flag, setting.value];
  if (args[index] === setting.flag) return [...args.slice(0, index + 1), setting.value, ...args.slice(index + 2)];
  return [...args.slice(0, index), `${setting.flag}=${setting.value}`, ...args.slice(index + 1)];
}

function strings(text: string, path: readonly string[]): readonly string[] | undefined {
  const node = nodeAt(text, path);
  if (node?.type !== 'array') return undefined;
  return (node.children ?? []).map((child) => (typeof child.value === 'string' ? child.value : String(child.value)));
}
