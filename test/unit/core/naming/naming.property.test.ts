import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  DEFAULT_NAME_BUDGET,
  MAX_HOST_PREFIX,
  MAX_SLUG,
  assignSlugs,
  MAX_STEM,
  serverStems,
  nameTools,
  namespaceUri,
  parseNamespacedUri,
  type NameEntry,
  type NameTable,
} from '../../../../src/core/naming';

const RUNS = { numRuns: 300 };

const longName = fc.string({ minLength: 61, maxLength: 200, unit: 'grapheme-ascii' });
/** Names that share their first 60+ characters and differ only after. */
const longSiblings = fc
  .tuple(fc.string({ minLength: 61, maxLength: 120, unit: 'grapheme-ascii' }), fc.uniqueArray(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 3 }))
  .map(([base, tails]) => tails.map((tail) => base + tail));
/** A tiny alphabet, so sanitizing collisions (`a.b` vs `a_b` vs `a:b`) are frequent. */
const clashy = fc.stringMatching(/^[ab][ab._: ]{0,3}$/);

const toolName = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9_]{0,24}$/), weight: 3 },
  { arbitrary: clashy, weight: 3 },
  { arbitrary: fc.string({ maxLength: 30, unit: 'grapheme' }), weight: 2 },
  { arbitrary: fc.string({ maxLength: 30, unit: 'binary' }), weight: 1 },
  { arbitrary: longName, weight: 1 },
);

const names = fc
  .tuple(fc.array(toolName, { maxLength: 12 }), fc.oneof(fc.constant([] as string[]), longSiblings))
  .map(([some, siblings]) => [...some, ...siblings]);

/** Prefixes that are prefixes of each other, and no prefix at all. */
const prefix = fc.constantFrom<string | undefined>('work', 'work2', 'wor', 'w', 'work_', 'personal', 'a-b', undefined);

const entries: fc.Arbitrary<NameEntry[]> = fc
  .uniqueArray(fc.tuple(fc.stringMatching(/^[a-c]\/[a-z]{1,3}$/), prefix, names), {
    maxLength: 5,
    selector: ([key]) => key,
  })
  .map((list) => list.map(([key, entryPrefix, entryNames]) => ({ key, prefix: entryPrefix, names: entryNames })));

const separator = fc.constantFrom('__', '_', '-', '--');

function mapping(table: NameTable): string[] {
  return table.entries.map((item) => `${item.key}\u0000${item.upstreamName}\u0000${item.exposedName}`).sort();
}

describe('nameTools properties', () => {
  it('exposes names a client accepts after a host prefix of 18 characters', () => {
    fc.assert(
      fc.property(entries, separator, (list, sep) => {
        const table = nameTools(list, { separator: sep });
        for (const { exposedName } of table.entries) {
          assert.ok(exposedName.length <= DEFAULT_NAME_BUDGET, exposedName);
          const withHost = `mcp_${'s'.repeat(MAX_SLUG)}_${exposedName}`;
          assert.equal(withHost.length - exposedName.length, MAX_HOST_PREFIX);
          assert.match(withHost, /^[A-Za-z0-9_-]{1,64}$/);
        }
      }),
      RUNS,
    );
  });

  it('keeps names unique and the reverse map exact', () => {
    fc.assert(
      fc.property(entries, separator, (list, sep) => {
        const table = nameTools(list, { separator: sep });
        const exposed = table.entries.map((item) => item.exposedName);
        assert.equal(new Set(exposed).size, exposed.length);
        assert.equal(table.byExposed.size, exposed.length);
        for (const item of table.entries) {
          assert.deepEqual(table.byExposed.get(item.exposedName), { key: item.key, upstreamName: item.upstreamName });
          assert.equal(table.exposedName(item.key, item.upstreamName), item.exposedName);
        }
      }),
      RUNS,
    );
  });

  it('exposes every distinct upstream name; only exact duplicates are refused', () => {
    fc.assert(
      fc.property(entries, separator, (list, sep) => {
        const table = nameTools(list, { separator: sep });
        // Hash suffixes resolve every collision of distinct names (sanitizing, cutting,
        // prefixes that run into each other); what is left is an upstream's own bug.
        for (const issue of table.issues.filter((candidate) => candidate.severity === 'error')) {
          assert.equal(issue.code, 'duplicate-name', issue.message);
        }
        for (const entry of list) {
          for (const name of new Set(entry.names)) {
            const reported = table.issues.some(
              (issue) => issue.severity === 'error' && issue.key === entry.key && issue.upstreamName === name,
            );
            assert.ok(table.exposedName(entry.key, name) !== undefined || reported, `${entry.key} ${name}`);
          }
        }
      }),
      RUNS,
    );
  });

  it('reports every exact duplicate within an entry', () => {
    fc.assert(
      fc.property(entries, fc.nat(), (list, pick) => {
        fc.pre(list.some((entry) => entry.names.length > 0));
        const withNames = list.filter((entry) => entry.names.length > 0);
        const victim = withNames[pick % withNames.length]!;
        const duplicated = victim.names[pick % victim.names.length]!;
        const changed = list.map((entry) => (entry === victim ? { ...entry, names: [...entry.names, duplicated] } : entry));
        const table = nameTools(changed, { separator: '__' });
        assert.ok(
          table.issues.some(
            (issue) => issue.code === 'duplicate-name' && issue.severity === 'error' && issue.key === victim.key && issue.upstreamName === duplicated,
          ),
        );
        assert.deepEqual(mapping(table), mapping(nameTools(list, { separator: '__' })));
      }),
      RUNS,
    );
  });

  it('gives the same names on every run and in any order of entries', () => {
    fc.assert(
      fc.property(
        entries.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))),
        separator,
        ([list, shuffled], sep) => {
          const first = nameTools(list, { separator: sep });
          const again = nameTools(list, { separator: sep });
          assert.deepEqual(again.entries, first.entries);
          assert.deepEqual(again.issues, first.issues);
          assert.deepEqual(mapping(nameTools(shuffled, { separator: sep })), mapping(first));
        },
      ),
      RUNS,
    );
  });

  it('leaves legal, short, distinct names readable', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('work', 'personal', 'w'),
        fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_-]{1,30}$/), { maxLength: 20 }),
        (entryPrefix, entryNames) => {
          const table = nameTools([{ key: 'k', prefix: entryPrefix, names: entryNames }], { separator: '__' });
          assert.deepEqual(
            table.entries.map((item) => item.exposedName),
            entryNames.map((name) => `${entryPrefix}__${name}`),
          );
          assert.deepEqual(table.issues, []);
        },
      ),
      RUNS,
    );
  });
});

describe('assignSlugs properties', () => {
  const id = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }), fc.constantFrom('google', 'goog', 'goodreads', 'work', 'Work', 'personal'));
  const sources = fc
    .uniqueArray(fc.tuple(id, id), { maxLength: 12, selector: ([server, instance]) => `${server}/${instance}` })
    .map((list) => list.map(([serverId, instanceId]) => ({ key: `${serverId}/${instanceId}`, serverId, instanceId })));

  it('gives every key a unique, short, VS Code-stable slug, whatever the order', () => {
    fc.assert(
      fc.property(sources.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))), ([list, shuffled]) => {
        const slugs = assignSlugs(list);
        assert.equal(slugs.size, list.length);
        assert.equal(new Set(slugs.values()).size, list.length);
        for (const slug of slugs.values()) {
          assert.match(slug, /^[a-z0-9_-]{1,13}$/);
        }
        assert.deepEqual([...assignSlugs(shuffled)].sort(), [...slugs].sort());
      }),
      RUNS,
    );
  });
});

describe('assignSlugs: one stem per server, stable as accounts are added', () => {
  const id = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }), fc.constantFrom('google', 'googlemaps', 'goog', 'Work', 'work', 'personal', 'person'));
  const source = (serverId: string, instanceId: string) => ({ key: `${serverId}/${instanceId}`, serverId, instanceId });
  const sources = fc
    .uniqueArray(fc.tuple(id, id), { minLength: 1, maxLength: 12, selector: ([server, instance]) => `${server}/${instance}` })
    .map((list) => list.map(([serverId, instanceId]) => source(serverId, instanceId)));
  /** A list and one more account of one of its servers. */
  const withNewAccount = (list: fc.Arbitrary<ReturnType<typeof source>[]>, instanceId: fc.Arbitrary<string>) =>
    list
      .chain((items) => fc.tuple(fc.constant(items), fc.constantFrom(...items.map((item) => item.serverId)), instanceId))
      .filter(([items, serverId, instanceId]) => !items.some((item) => item.key === `${serverId}/${instanceId}`));

  it('starts every slug of a server with that server’s stem, one stem per server, within the limit', () => {
    fc.assert(
      fc.property(sources, (list) => {
        const slugs = assignSlugs(list);
        const stems = serverStems(list.map((item) => item.serverId));
        assert.equal(new Set(stems.values()).size, stems.size, 'two servers never share a stem');
        for (const item of list) {
          const stem = stems.get(item.serverId) ?? '';
          assert.ok(stem.length >= 1 && stem.length <= MAX_STEM, stem);
          assert.ok(slugs.get(item.key)?.startsWith(`${stem}-`), `${item.key}: ${slugs.get(item.key)} after ${stem}`);
          assert.match(slugs.get(item.key) ?? '', /^[a-z0-9_-]{1,13}$/);
        }
      }),
      RUNS,
    );
  });

  it('renames no other account when one is added, unless the newcomer spells that very slug', () => {
    fc.assert(
      fc.property(withNewAccount(sources, id), ([list, serverId, instanceId]) => {
        const before = assignSlugs(list);
        const added = source(serverId, instanceId);
        const after = assignSlugs([...list, added]);
        const stemsBefore = serverStems(list.map((item) => item.serverId));
        const stemsAfter = serverStems([...list, added].map((item) => item.serverId));
        assert.deepEqual([...stemsAfter].sort(), [...stemsBefore].sort(), 'stems depend on the servers only');
        const renamed = list.filter((item) => after.get(item.key) !== before.get(item.key));
        assert.ok(renamed.length <= 1, `renamed ${renamed.map((item) => item.key).join(', ')}`);
        for (const item of renamed) assert.equal(after.get(added.key), before.get(item.key), 'only a newcomer that reads exactly like it and ranks first');
        assert.equal(new Set(after.values()).size, list.length + 1, 'unique in the window');
      }),
      RUNS,
    );
  });

  it('renames nothing when accounts with plain short ids are added', () => {
    const plain = fc.stringMatching(/^[a-z]([a-z0-9_]{0,4}[a-z0-9])?$/);
    const plainSources = fc
      .uniqueArray(fc.tuple(plain, plain), { minLength: 1, maxLength: 12, selector: ([server, instance]) => `${server}/${instance}` })
      .map((list) => list.map(([serverId, instanceId]) => source(serverId, instanceId)));
    fc.assert(
      fc.property(withNewAccount(plainSources, plain), ([list, serverId, instanceId]) => {
        const before = assignSlugs(list);
        const after = assignSlugs([...list, source(serverId, instanceId)]);
        for (const item of list) assert.equal(after.get(item.key), before.get(item.key));
        assert.equal(after.get(`${serverId}/${instanceId}`), `${serverId}-${instanceId}`);
      }),
      RUNS,
    );
  });
});

describe('namespaceUri properties', () => {
  it('round-trips any string exactly', () => {
    fc.assert(
      fc.property(fc.constantFrom('work', 'w', 'a-b_2', 'Work'), fc.string({ unit: 'binary', maxLength: 80 }), (uriPrefix, uri) => {
        assert.deepEqual(parseNamespacedUri(namespaceUri(uriPrefix, uri)), { prefix: uriPrefix, uri });
      }),
      RUNS,
    );
  });
});
