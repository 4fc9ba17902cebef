import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { npmShimTarget, quoteCmdArgument, resolveWindowsCommand, UnquotableArgumentError, windowsSpawnTarget, type FileProbe } from '../../../../src/core/upstream/windowsSpawn';

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

// npm's own npx.cmd (npm 10, beside node.exe) and a cmd-shim `node_modules/.bin` file, as written.
const NPX_CMD = [
  ':: Created by npm, please don\'t edit manually.',
  '@ECHO OFF',
  'SETLOCAL',
  'SET "NODE_EXE=%~dp0\\node.exe"',
  'IF NOT EXIST "%NODE_EXE%" (',
  '  SET "NODE_EXE=node"',
  ')',
  'SET "NPM_PREFIX_JS=%~dp0\\node_modules\\npm\\bin\\npm-prefix.js"',
  'SET "NPX_CLI_JS=%~dp0\\node_modules\\npm\\bin\\npx-cli.js"',
  '"%NODE_EXE%" "%NPX_CLI_JS%" %*',
].join('\r\n');
const CMD_SHIM = [
  '@ECHO off',
  'GOTO start',
  ':find_dp0',
  'SET dp0=%~dp0',
  'EXIT /b',
  ':start',
  'SETLOCAL',
  'CALL :find_dp0',
  '',
  'IF EXIST "%dp0%\\node.exe" (',
  '  SET "_prog=%dp0%\\node.exe"',
  ') ELSE (',
  '  SET "_prog=node"',
  '  SET PATHEXT=%PATHEXT:;.JS;=;%',
  ')',
  '',
  'endLocal & goto #_undefined_# 2>NUL || title %COMSPEC% & "%_prog%"  "%dp0%\\..\\@modelcontextprotocol\\server-memory\\dist\\index.js" %*',
].join('\r\n');

function disk(files: Record<string, string>): FileProbe {
  return { exists: (file) => file in files, read: (file) => files[file] };
}

describe('npmShimTarget', () => {
  it('runs npx.cmd\'s npx-cli.js with the node.exe beside it', () => {
    const files = disk({ 'C:\\Program Files\\nodejs\\npx.cmd': NPX_CMD, 'C:\\Program Files\\nodejs\\node.exe': '', 'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npx-cli.js': '' });
    assert.deepEqual(npmShimTarget('C:\\Program Files\\nodejs\\npx.cmd', files), {
      program: 'C:\\Program Files\\nodejs\\node.exe',
      script: 'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npx-cli.js',
    });
  });

  it('runs a cmd-shim\'s script with node from PATH when no node.exe is beside it', () => {
    const files = disk({ 'D:\\p\\node_modules\\.bin\\mcp-server-memory.cmd': CMD_SHIM, 'D:\\p\\node_modules\\@modelcontextprotocol\\server-memory\\dist\\index.js': '' });
    assert.deepEqual(npmShimTarget('D:\\p\\node_modules\\.bin\\mcp-server-memory.cmd', files), {
      program: 'node',
      script: 'D:\\p\\node_modules\\@modelcontextprotocol\\server-memory\\dist\\index.js',
    });
  });

  it('leaves any other batch file, or a shim whose script is gone, to cmd', () => {
    assert.equal(npmShimTarget('C:\\x\\run.bat', disk({ 'C:\\x\\run.bat': '@echo off\r\npython server.py %*' })), undefined);
    assert.equal(npmShimTarget('D:\\p\\node_modules\\.bin\\m.cmd', disk({ 'D:\\p\\node_modules\\.bin\\m.cmd': CMD_SHIM })), undefined);
  });
});

describe('windowsSpawnTarget', () => {
  const env = { PATH: 'C:\\Program Files\\nodejs;C:\\tools', ComSpec: 'C:\\Windows\\system32\\cmd.exe' };
  const files = disk({
    'C:\\Program Files\\nodejs\\npx.cmd': NPX_CMD,
    'C:\\Program Files\\nodejs\\node.exe': '',
    'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npx-cli.js': '',
    'C:\\tools\\serve.bat': '@python "%~dp0serve.py" %*',
  });

  it('runs npx without a shell: its arguments reach npx-cli.js untouched', () => {
    assert.deepEqual(windowsSpawnTarget('npx', ['-y', 'server & x', '%PATH%'], env, undefined, files), {
      file: 'C:\\Program Files\\nodejs\\node.exe',
      args: ['C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npx-cli.js', '-y', 'server & x', '%PATH%'],
      verbatim: false,
    });
  });

  it('runs another batch file through cmd.exe /d /s /c, its path quoted, verbatim', () => {
    const target = windowsSpawnTarget('serve', ['a & b'], env, undefined, files);
    assert.equal(target.file, 'C:\\Windows\\system32\\cmd.exe');
    assert.equal(target.verbatim, true);
    assert.deepEqual(target.args, ['/d', '/s', '/c', '""C:\\tools\\serve.bat" ^^^"a^^^ ^^^&^^^ b^^^""']);
  });

  it('leaves an .exe to spawn as it was given', () => {
    assert.deepEqual(windowsSpawnTarget('node', ['a b'], env, undefined, files), { file: 'node', args: ['a b'], verbatim: false });
  });

  it('refuses a line break, which cmd cannot pass', () => {
    assert.throws(() => windowsSpawnTarget('serve', ['a\nb'], env, undefined, files), UnquotableArgumentError);
  });
});
