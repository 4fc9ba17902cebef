import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  DEFAULT_SEPARATOR,
  NamingError,
  appendNote,
  assignSlugs,
  serverStems,
  instanceNote,
  maxPrefixLength,
  nameTools,
  namespaceUri,
  parseNamespacedUri,
  sanitizeName,
  validatePrefix,
  validateSeparator,
  type NameEntry,
} from '../../../../src/core/naming';

const opts = { separator: DEFAULT_SEPARATOR };

function exposed(entries: readonly NameEntry[], options = opts): Record<string, string> {
  const table = nameTools(entries, options);
  return Object.fromEntries(table.entries.map((item) => [`${item.key}:${item.upstreamName}`, item.exposedName]));
}

describe('sanitizeName', () => {
  it('replaces each run of illegal characters with one underscore', () => {
    assert.equal(sanitizeName('create_event'), 'create_event');
    assert.equal(sanitizeName('a.b'), 'a_b');
    assert.equal(sanitizeName('ns::get  item'), 'ns_get_item');
    assert.equal(sanitizeName('ünïcödé'), '_n_c_d_');
    assert.equal(sanitizeName('😀'), '_');
  });

  it('never returns an empty name', () => {
    assert.equal(sanitizeName(''), '_');
  });
});

describe('validatePrefix', () => {
  it('accepts instance keys such as work and personal-2', () => {
    assert.equal(validatePrefix('work'), undefined);
    assert.equal(validatePrefix('personal-2'), undefined);
    assert.equal(validatePrefix('A_1'), undefined);
  });

  it('says what to change', () => {
    assert.match(validatePrefix('') ?? '', /Enter a prefix/);
    assert.match(validatePrefix('-work') ?? '', /Start the prefix with a letter or a digit/);
    assert.match(validatePrefix('wo.rk') ?? '', /"\." is not allowed/);
    assert.match(validatePrefix('wo rk') ?? '', /" " is not allowed/);
  });

  it('refuses a prefix that leaves fewer than 8 characters for tool names', () => {
    assert.equal(maxPrefixLength('__'), 36);
    assert.equal(validatePrefix('p'.repeat(36)), undefined);
    assert.match(validatePrefix('p'.repeat(37)) ?? '', /Shorten the prefix to 36 characters/);
    assert.match(validatePrefix('p'.repeat(30), '-'.repeat(10)) ?? '', /28 characters/);
  });
});

describe('validateSeparator', () => {
  it('accepts portable separators, warns for . and :, refuses the rest', () => {
    assert.equal(validateSeparator('__'), undefined);
    assert.equal(validateSeparator('-'), undefined);
    assert.equal(validateSeparator(':')?.severity, 'warning');
    assert.equal(validateSeparator('.')?.severity, 'warning');
    assert.equal(validateSeparator(' ')?.severity, 'error');
    assert.equal(validateSeparator('/')?.severity, 'error');
    assert.equal(validateSeparator('')?.severity, 'error');
  });
});

describe('nameTools', () => {
  it('keeps legal names readable behind the prefix', () => {
    const table = nameTools(
      [
        { key: 'google/work', prefix: 'work', names: ['create_event', 'list-events'] },
        { key: 'google/personal', prefix: 'personal', names: ['create_event'] },
      ],
      opts,
    );
    assert.deepEqual(
      table.entries.map((item) => [item.exposedName, item.form]),
      [
        ['work__create_event', 'readable'],
        ['work__list-events', 'readable'],
        ['personal__create_event', 'readable'],
      ],
    );
    assert.deepEqual(table.byExposed.get('personal__create_event'), { key: 'google/personal', upstreamName: 'create_event' });
    assert.equal(table.exposedName('google/work', 'create_event'), 'work__create_event');
    assert.equal(table.exposedName('google/work', 'missing'), undefined);
    assert.deepEqual(table.issues, []);
  });

  it('uses the bare name without a prefix, and honours another separator', () => {
    assert.deepEqual(exposed([{ key: 'k', prefix: undefined, names: ['search'] }]), { 'k:search': 'search' });
    assert.deepEqual(exposed([{ key: 'k', prefix: 'work', names: ['search'] }], { separator: '-' }), { 'k:search': 'work-search' });
  });

  it('sanitizes names without a collision and keeps them readable', () => {
    const table = nameTools([{ key: 'k', prefix: 'work', names: ['files.read', 'ns:get item'] }], opts);
    assert.deepEqual(
      table.entries.map((item) => [item.exposedName, item.form]),
      [
        ['work__files_read', 'sanitized'],
        ['work__ns_get_item', 'sanitized'],
      ],
    );
    assert.deepEqual(table.issues, []);
  });

  it('shortens long names to the 46-character budget with a stable hash', () => {
    const long = `get_${'x'.repeat(80)}`;
    const name = nameTools([{ key: 'google/work', prefix: 'work', names: [long] }], opts).entries[0];
    assert.equal(name?.form, 'shortened');
    assert.equal(name?.exposedName.length, 46);
    // Pinned: VS Code keys tool enablement on these names, so they must not drift.
    assert.equal(name?.exposedName, 'work__get_xxxxxxxxxxxxxxxxxxxxxxxxxxxxx_669737');
  });

  it('keeps names that differ only past character 60 distinct', () => {
    const base = 'a'.repeat(70);
    const table = nameTools([{ key: 'k', prefix: 'work', names: [`${base}1`, `${base}2`] }], opts);
    const [first, second] = table.entries;
    assert.ok(first && second);
    assert.notEqual(first.exposedName, second.exposedName);
    assert.equal(first.exposedName.slice(0, -6), second.exposedName.slice(0, -6));
  });

  it('honours a smaller budget', () => {
    const table = nameTools([{ key: 'k', prefix: 'w', names: ['abcdefghijklmnop'] }], { separator: '__', budget: 12 });
    assert.match(table.entries[0]?.exposedName ?? '', /^w__ab_[0-9a-f]{6}$/);
  });

  it('gives the lossy name of a collision a hash, warns, and keeps the exact one', () => {
    for (const names of [['a.b', 'a_b'], ['a_b', 'a.b']]) {
      const table = nameTools([{ key: 'k', prefix: 'work', names }], opts);
      assert.equal(table.exposedName('k', 'a_b'), 'work__a_b');
      assert.match(table.exposedName('k', 'a.b') ?? '', /^work__a_b_[0-9a-f]{6}$/);
      assert.deepEqual(
        table.issues.map((issue) => [issue.severity, issue.code, issue.upstreamName]),
        [['warning', 'name-collision', 'a.b']],
      );
      assert.match(table.issues[0]?.message ?? '', /"a\.b" \(k\) is exposed as "work__a_b_[0-9a-f]{6}" because "work__a_b" is also the name of "a_b" \(k\)/);
    }
  });

  it('hashes every member when no name in a collision is exact', () => {
    const table = nameTools([{ key: 'k', prefix: 'work', names: ['a.b', 'a:b'] }], opts);
    const names = table.entries.map((item) => item.exposedName);
    assert.equal(new Set(names).size, 2);
    names.forEach((name) => assert.match(name, /^work__a_b_[0-9a-f]{6}$/));
    assert.equal(table.issues.filter((issue) => issue.code === 'name-collision').length, 2);
  });

  it('does not let the first of two exact names that meet across prefixes win', () => {
    // `work_` + `__` + `_x` and `work` + `__` + `__x` are both `work____x`.
    const entries = [
      { key: 'a/work_', prefix: 'work_', names: ['_x'] },
      { key: 'b/work', prefix: 'work', names: ['__x'] },
    ];
    const forward = exposed(entries);
    assert.deepEqual(exposed([...entries].reverse()), forward);
    assert.notEqual(forward['a/work_:_x'], 'work____x');
    assert.notEqual(forward['b/work:__x'], 'work____x');
  });

  it('keeps tools of two servers whose instances share a prefix apart', () => {
    const table = nameTools(
      [
        { key: 'google/work', prefix: 'work', names: ['search'] },
        { key: 'notion/work', prefix: 'work', names: ['search'] },
      ],
      opts,
    );
    assert.equal(table.entries.length, 2);
    assert.notEqual(table.exposedName('google/work', 'search'), table.exposedName('notion/work', 'search'));
    assert.equal(table.issues.length, 2);
  });

  it('reports an upstream listing a name twice and exposes it once', () => {
    const table = nameTools([{ key: 'k', prefix: 'work', names: ['x', 'y', 'x'] }], opts);
    assert.deepEqual(table.entries.map((item) => item.exposedName), ['work__x', 'work__y']);
    assert.deepEqual(table.issues.map((issue) => [issue.severity, issue.code, issue.upstreamName]), [['error', 'duplicate-name', 'x']]);
  });

  it('refuses entries it cannot name, and names the others', () => {
    const table = nameTools(
      [
        { key: 'ok', prefix: 'work', names: ['x'] },
        { key: 'ok', prefix: 'other', names: ['y'] },
        { key: 'bad', prefix: 'wo.rk', names: ['x'] },
        { key: 'long', prefix: 'p'.repeat(40), names: ['x'] },
      ],
      opts,
    );
    assert.deepEqual(table.entries.map((item) => item.exposedName), ['work__x']);
    assert.deepEqual(
      table.issues.map((issue) => [issue.code, issue.key]),
      [
        ['duplicate-key', 'ok'],
        ['invalid-prefix', 'bad'],
        ['prefix-too-long', 'long'],
      ],
    );
  });

  it('refuses a name that collides with a hashed one, by content rather than order', () => {
    const hashed = nameTools([{ key: 'k', prefix: 'work', names: ['a.b', 'a_b'] }], opts).exposedName('k', 'a.b') ?? '';
    const lookalike = hashed.slice('work__'.length);
    for (const names of [['a.b', 'a_b', lookalike], [lookalike, 'a_b', 'a.b']]) {
      const table = nameTools([{ key: 'k', prefix: 'work', names }], opts);
      assert.equal(table.exposedName('k', lookalike), hashed, 'the exact name keeps it');
      assert.equal(table.exposedName('k', 'a.b'), undefined);
      assert.ok(table.issues.some((issue) => issue.code === 'unresolved-collision' && issue.upstreamName === 'a.b'));
    }
  });

  it('warns about a separator clients reject and throws for an unusable one', () => {
    const table = nameTools([{ key: 'k', prefix: 'work', names: ['x'] }], { separator: ':' });
    assert.equal(table.exposedName('k', 'x'), 'work:x');
    assert.deepEqual(table.issues.map((issue) => issue.code), ['separator-not-portable']);
    assert.throws(
      () => nameTools([{ key: 'k', prefix: 'work', names: ['x'] }], { separator: ' ' }),
      (error: unknown) => error instanceof NamingError && error.code === 'invalid-separator',
    );
  });
});

describe('assignSlugs', () => {
  const source = (serverId: string, instanceId: string) => ({ key: `${serverId}/${instanceId}`, serverId, instanceId });

  it('gives every account of a server the same stem, then the account', () => {
    const slugs = assignSlugs([
      source('echo', 'work'),
      source('google', 'personal'),
      source('notes', 'personal'),
      source('gh', 'enterprise-account'),
      source('My Server', 'Work.Account'),
      source('memory', 'work'),
      source('memory', 'personal'),
    ]);
    assert.deepEqual(Object.fromEntries(slugs), {
      'echo/work': 'echo-work',
      'google/personal': 'google-person',
      'notes/personal': 'notes-persona',
      'gh/enterprise-account': 'gh-enterprise',
      'My Server/Work.Account': 'my_ser-work_a',
      'memory/work': 'memory-work',
      'memory/personal': 'memory-person',
    });
  });

  it('gives ids without usable characters a stable slug', () => {
    const slug = assignSlugs([source('日本', 'work')]).get('日本/work') ?? '';
    assert.match(slug, /^[0-9a-f]{4}-work$/);
  });

  it('lets the instance whose ids the slug spells keep it; a look-alike gets a hash, with the same stem', () => {
    const list = [source('echo', 'Work'), source('echo', 'work'), source('echo', 'personal')];
    const slugs = assignSlugs(list);
    assert.equal(slugs.get('echo/work'), 'echo-work');
    assert.match(slugs.get('echo/Work') ?? '', /^echo-work-[0-9a-f]{3}$/);
    assert.equal(slugs.get('echo/personal'), 'echo-personal');
    assert.deepEqual(Object.fromEntries(assignSlugs([...list].reverse())), Object.fromEntries(slugs));
  });

  it('keeps two servers that cut to one stem apart, the uncut one keeping its name', () => {
    const slugs = assignSlugs([source('google', 'personal'), source('googlemaps', 'personal'), source('googlemaps', 'work')]);
    assert.equal(slugs.get('google/personal'), 'google-person');
    const maps = slugs.get('googlemaps/personal') ?? '';
    assert.match(maps, /^goog[0-9a-f]{2}-person$/);
    assert.equal(slugs.get('googlemaps/work'), `${maps.slice(0, 6)}-work`);
    assert.deepEqual(Object.fromEntries(serverStems(['googlemaps', 'google'])), { google: 'google', googlemaps: maps.slice(0, 6) });
  });

  it('renames no account when one is added to its server', () => {
    const before = assignSlugs([source('memory', 'work'), source('memory', 'personal')]);
    const after = assignSlugs([source('memory', 'work'), source('memory', 'personal'), source('memory', 'team')]);
    assert.equal(after.get('memory/work'), before.get('memory/work'));
    assert.equal(after.get('memory/personal'), before.get('memory/personal'));
    assert.equal(after.get('memory/team'), 'memory-team');
  });
});

describe('instance notes', () => {
  it('uses the default sentence or a template', () => {
    assert.equal(instanceNote('Work'), 'Note: this is one of multiple instances of this server, labeled "Work".');
    assert.equal(instanceNote('Work', '[{label}] {label}'), '[Work] Work');
  });

  it('appends the note as its own paragraph, once', () => {
    assert.equal(appendNote(undefined, 'N.'), 'N.');
    assert.equal(appendNote('  ', 'N.'), 'N.');
    assert.equal(appendNote('Creates an event.\n', 'N.'), 'Creates an event.\n\nN.');
    assert.equal(appendNote(appendNote('Creates an event.', 'N.'), 'N.'), 'Creates an event.\n\nN.');
  });
});

describe('resource URI namespaces', () => {
  it('wraps the original verbatim and parses it back', () => {
    const uri = 'file:///tmp/ä b.txt?x=1#frag';
    assert.equal(namespaceUri('work', uri), `mcplex://work/${uri}`);
    assert.deepEqual(parseNamespacedUri(`mcplex://work/${uri}`), { prefix: 'work', uri });
    assert.deepEqual(parseNamespacedUri('MCPLEX://work/x'), { prefix: 'work', uri: 'x' });
    assert.deepEqual(parseNamespacedUri('mcplex://work/'), { prefix: 'work', uri: '' });
  });

  it('commutes with template expansion', () => {
    const template = namespaceUri('work', 'notes://{folder}/{id}');
    assert.equal(template.replace('{folder}', 'inbox').replace('{id}', '7'), namespaceUri('work', 'notes://inbox/7'));
  });

  it('rejects what is not namespaced, and prefixes that would break the round trip', () => {
    assert.equal(parseNamespacedUri('file:///x'), undefined);
    assert.equal(parseNamespacedUri('mcplex://work'), undefined);
    assert.equal(parseNamespacedUri('mcplex:///x'), undefined);
    assert.throws(() => namespaceUri('a/b', 'x'), (error: unknown) => error instanceof NamingError && error.code === 'invalid-prefix');
  });
});
