import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quoteCmdArgument, resolveWindowsCommand, UnquotableArgumentError, windowsSpawnTarget } from '../../../../src/core/upstream/windowsSpawn';

// The real parse is proven under wine (npm run test:windows); here a model of it: cmd's
// caret phase (a caret makes the next character text; with every quote escaped there is
// no quoted section) and CommandLineToArgvW, the C runtime's split of a command line.
function caretPhase(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '^' && i + 1 < line.length) i++;
    out += line[i];
  }
  return out;
}

function commandLineToArgv(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inQuotes = false;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      let n = 0;
      while (line[i + n] === '\\') n++;
      if (line[i + n] === '"') {
        current += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) current += '"';
        else inQuotes = !inQuotes;
        i += n;
      } else {
        current += '\\'.repeat(n);
        i += n - 1;
      }
      started = true;
    } else if (c === '"') {
      inQuotes = !inQuotes;
      started = true;
    } else if ((c === ' ' || c === '\t') && !inQuotes) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) args.push(current);
  return args;
}

/** A metacharacter cmd would act on: one not preceded by an escaping caret. */
function unescapedOperator(line: string): string | undefined {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '^') {
      i++;
      continue;
    }
    if ('&|<>()%!"'.includes(line[i] as string)) return line[i];
  }
  return undefined;
}

const NASTY = [
  'plain',
  'with space',
  'say "hi"',
  'a & calc.exe',
  'a | more',
  'caret ^ here',
  '%PATH%',
  '%USERPROFILE%\\x',
  'bang!',
  '!PATH!',
  'C:\\Program Files\\x\\',
  'trailing\\\\',
  '\\"',
  '<in >out 2>&1',
  '(paren)',
  '',
  'a,b;c=d',
  'ünïcödé ✓',
];

describe('quoteCmdArgument', () => {
  for (const arg of NASTY) {
    it(`a batch shim's %* gets back ${JSON.stringify(arg)}, with no operator cmd would act on`, () => {
      const quoted = quoteCmdArgument(arg, true);
      // The cmd /c line: nothing live.
      assert.equal(unescapedOperator(quoted), undefined);
      // The shim's `%*`, parsed again: still nothing live.
      const inShim = caretPhase(quoted);
      assert.equal(unescapedOperator(inShim), undefined);
      // What the program finally reads.
      assert.deepEqual(commandLineToArgv(caretPhase(inShim)), [arg]);
    });
  }

  it('escapes once for a line parsed once', () => {
    assert.equal(quoteCmdArgument('a&b', false), '^"a^&b^"');
    assert.deepEqual(commandLineToArgv(caretPhase(quoteCmdArgument('%X% "y"', false))), ['%X% "y"']);
  });
});

describe('resolveWindowsCommand', () => {
  const files = new Set(['C:\\nodejs\\npx.cmd', 'C:\\nodejs\\node.exe', 'D:\\my tools\\run.bat', 'C:\\work\\local.cmd']);
  const exists = (file: string): boolean => files.has(file);
  const env = { Path: 'C:\\Windows;"D:\\my tools";C:\\nodejs', PATHEXT: '.COM;.EXE;.BAT;.CMD' };

  it('finds npx as npx.cmd on PATH (case-insensitive names, quoted entries)', () => {
    assert.equal(resolveWindowsCommand('npx', env, undefined, exists), 'C:\\nodejs\\npx.cmd');
    assert.equal(resolveWindowsCommand('run', env, undefined, exists), 'D:\\my tools\\run.bat');
    assert.equal(resolveWindowsCommand('node', env, undefined, exists), 'C:\\nodejs\\node.exe');
  });

  it('looks in the working folder first, and takes a path as it is', () => {
    assert.equal(resolveWindowsCommand('local', env, 'C:\\work', exists), 'C:\\work\\local.cmd');
    assert.equal(resolveWindowsCommand('D:\\my tools\\run.bat', env, undefined, exists), 'D:\\my tools\\run.bat');
    assert.equal(resolveWindowsCommand('D:\\my tools\\run', env, undefined, exists), 'D:\\my tools\\run.bat');
  });

  it('finds nothing for a missing command', () => {
    assert.equal(resolveWindowsCommand('nope', env, undefined, exists), undefined);
  });
});

describe('windowsSpawnTarget', () => {
  const exists = (file: string): boolean => file === 'C:\\Program Files\\nodejs\\npx.cmd' || file === 'C:\\Program Files\\nodejs\\node.exe';
  const env = { PATH: 'C:\\Program Files\\nodejs', ComSpec: 'C:\\Windows\\system32\\cmd.exe' };

  it('runs a .cmd through cmd.exe /d /s /c, verbatim', () => {
    const target = windowsSpawnTarget('npx', ['-y', 'server & x'], env, undefined, exists);
    assert.equal(target.file, 'C:\\Windows\\system32\\cmd.exe');
    assert.equal(target.verbatim, true);
    assert.deepEqual(target.args.slice(0, 3), ['/d', '/s', '/c']);
    assert.equal(target.args[3], '"C:\\Program^ Files\\nodejs\\npx.cmd ^^^"-y^^^" ^^^"server^^^ ^^^&^^^ x^^^""');
  });

  it('leaves an .exe to spawn as it was given', () => {
    assert.deepEqual(windowsSpawnTarget('node', ['a b'], env, undefined, exists), { file: 'node', args: ['a b'], verbatim: false });
  });

  it('refuses a line break, which cmd cannot pass', () => {
    assert.throws(() => windowsSpawnTarget('npx', ['a\nb'], env, undefined, exists), UnquotableArgumentError);
  });
});
