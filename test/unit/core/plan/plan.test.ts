import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ResolvedInstance, UpstreamSpec } from '../../../../src/core/config/model';
import { diffPlans, planInstances, type PlannedInstance } from '../../../../src/core/plan';

function stdio(env: Record<string, string>, args: readonly string[] = ['-y', 'google-mcp']): UpstreamSpec {
  return { kind: 'stdio', command: 'npx', args, env };
}

function instance(serverId: string, instanceId: string, overrides: Partial<ResolvedInstance> = {}): ResolvedInstance {
  return {
    serverId,
    instanceId,
    serverLabel: serverId[0]?.toUpperCase() + serverId.slice(1),
    instanceLabel: instanceId[0]?.toUpperCase() + instanceId.slice(1),
    upstream: stdio({ ACCOUNT: instanceId, API_KEY: 'secret-value' }),
    redacted: stdio({ ACCOUNT: instanceId, API_KEY: '${secret:key}' }),
    tools: { deny: ['delete_*'] },
    location: { file: '/ws/.mcplex.jsonc', path: ['servers', serverId, 'instances', instanceId], offset: 10, length: 5, line: 3, column: 7 },
    secrets: ['key'],
    ...overrides,
  };
}

function only(instances: readonly ResolvedInstance[], options = {}): PlannedInstance {
  const planned = planInstances(instances, options).instances[0];
  assert.ok(planned);
  return planned;
}

describe('planInstances', () => {
  it('plans key, prefix, label, note and slug', () => {
    const plan = planInstances([instance('google', 'work'), instance('echo', 'personal')]);
    assert.equal(plan.separator, '__');
    assert.deepEqual(plan.problems, []);
    const [google, echo] = plan.instances;
    assert.equal(google?.key, 'google/work');
    assert.equal(google?.prefix, 'work');
    assert.equal(google?.label, 'Google (Work)', 'Copilot CLI names it google__work');
    assert.equal(google?.note, 'Note: this is one of multiple instances of this server, labeled "Work".');
    assert.equal(google?.slug, 'google-work');
    assert.equal(echo?.slug, 'echo-personal');
    assert.equal(google?.upstream.kind === 'stdio' && google.upstream.env['API_KEY'], 'secret-value');
    assert.deepEqual(google?.secrets, ['key']);
    assert.match(google?.hash ?? '', /^[0-9a-f]{16}$/);
  });

  it('applies the note template, the separator and the folder', () => {
    const planned = only([instance('google', 'work')], { note: 'Account: {label}.', separator: '-', folder: 'app' });
    assert.equal(planned.note, 'Account: Work.');
    assert.equal(planned.label, 'Google (Work, app)');
    assert.equal(planInstances([instance('google', 'work')], { separator: '-' }).separator, '-');
  });

  it('gives every instance a unique slug', () => {
    const plan = planInstances([instance('echo', 'Work'), instance('echo', 'work'), instance('google', 'personal'), instance('googlemaps', 'personal')]);
    const slugs = plan.instances.map((planned) => planned.slug);
    assert.equal(new Set(slugs).size, 4);
    slugs.forEach((slug) => assert.match(slug, /^[a-z0-9_-]{1,13}$/));
  });

  it('reports clashing labels and makes them unique', () => {
    const plan = planInstances([instance('google', 'work'), instance('google2', 'work', { serverLabel: 'Google' })]);
    assert.deepEqual(
      plan.instances.map((planned) => planned.label),
      ['Google (Work, google/work)', 'Google (Work, google2/work)'],
    );
    assert.deepEqual(plan.problems.map((problem) => [problem.severity, problem.code]), [
      ['warning', 'duplicate-label'],
      ['warning', 'duplicate-label'],
    ]);
    assert.match(plan.problems[0]?.message ?? '', /same Copilot CLI name "google__work" as "google2\/work"/);
  });

  it('reports labels that differ only in case or punctuation, since Copilot CLI would keep one of them', () => {
    const plan = planInstances([
      instance('google', 'work'),
      instance('gmail', 'work', { serverLabel: 'google' }),
      instance('drive', 'work', { serverLabel: 'GOOGLE', instanceLabel: 'Work!' }),
      instance('google', 'personal'),
    ]);
    assert.deepEqual(
      plan.instances.map((planned) => planned.label),
      ['Google (Work, google/work)', 'google (Work, gmail/work)', 'GOOGLE (Work!, drive/work)', 'Google (Personal)'],
    );
    assert.deepEqual(plan.problems.map((problem) => [problem.code, problem.path.join('.')]), [
      ['duplicate-label', 'servers.google.instances.work'],
      ['duplicate-label', 'servers.gmail.instances.work'],
      ['duplicate-label', 'servers.drive.instances.work'],
    ]);
  });

  it('gives a label that leaves Copilot CLI no name the instance key, and says so', () => {
    const plan = planInstances([instance('notes', 'work', { serverLabel: 'Заметки', instanceLabel: 'Работа' })]);
    assert.equal(plan.instances[0]?.label, 'Заметки (Работа, notes/work)');
    assert.deepEqual(plan.problems.map((problem) => [problem.severity, problem.code]), [['warning', 'unnamed-label']]);
  });

  it('leaves out instances it cannot plan and plans the rest', () => {
    const plan = planInstances([
      instance('google', 'work'),
      instance('google', 'work', { instanceLabel: 'Again' }),
      instance('google', 'p'.repeat(40)),
      instance('google', '-bad'),
      instance('google', 'personal'),
    ]);
    assert.deepEqual(plan.instances.map((planned) => planned.key), ['google/work', 'google/personal']);
    assert.deepEqual(plan.problems.map((problem) => [problem.severity, problem.code, problem.line, problem.column]), [
      ['error', 'duplicate-instance', 3, 7],
      ['error', 'invalid-prefix', 3, 7],
      ['error', 'invalid-prefix', 3, 7],
    ]);
    assert.match(plan.problems[1]?.message ?? '', /Shorten the prefix/);
  });

  it('keeps a separator clients reject (the config warns at its position), and replaces an unusable one', () => {
    const colon = planInstances([instance('google', 'work')], { separator: ':' });
    assert.equal(colon.separator, ':');
    assert.deepEqual(colon.problems, []);
    const space = planInstances([instance('google', 'work')], { separator: ' ' });
    assert.equal(space.separator, '__');
    assert.deepEqual(space.problems.map((problem) => [problem.severity, problem.code]), [['error', 'invalid-separator']]);
  });
});

describe('instance hash', () => {
  const base = only([instance('google', 'work')]).hash;

  it('does not depend on the order keys were written in', () => {
    const reordered = instance('google', 'work', {
      redacted: { env: { API_KEY: '${secret:key}', ACCOUNT: 'work' }, args: ['-y', 'google-mcp'], command: 'npx', kind: 'stdio' },
    });
    assert.equal(only([reordered]).hash, base);
    assert.equal(only([instance('other', 'x'), instance('google', 'work')].reverse()).hash, base);
  });

  it('does not change when only a secret value or the position changes', () => {
    const rotated = instance('google', 'work', { upstream: stdio({ ACCOUNT: 'work', API_KEY: 'new-value' }) });
    assert.equal(only([rotated]).hash, base);
    const moved = instance('google', 'work', { location: { file: '/ws/.mcplex.jsonc', path: [], offset: 99, length: 1, line: 9, column: 1 } });
    assert.equal(only([moved]).hash, base);
  });

  it('changes with anything that shapes the surface', () => {
    const variants: ResolvedInstance[] = [
      instance('google', 'work', { redacted: stdio({ ACCOUNT: 'other', API_KEY: '${secret:key}' }) }),
      instance('google', 'work', { redacted: stdio({ ACCOUNT: 'work', API_KEY: '${secret:key}' }, ['google-mcp', '-y']) }),
      instance('google', 'work', { tools: { deny: ['delete_*', 'send_*'] } }),
      // Issue 17: what a read-only, described or pinned account shows is its surface too.
      instance('google', 'work', { tools: { deny: ['delete_*'], readOnly: true } }),
      instance('google', 'work', { tools: { deny: ['delete_*'], describe: { search: 'Work mail only.' } } }),
      instance('google', 'work', { tools: { deny: ['delete_*'], pin: true } }),
      instance('google', 'work', { instanceLabel: 'Job' }),
      instance('google', 'work', { serverLabel: 'Gmail' }),
    ];
    for (const variant of variants) {
      assert.notEqual(only([variant]).hash, base);
    }
    assert.notEqual(only([instance('google', 'work')], { separator: '-' }).hash, base);
    assert.notEqual(only([instance('google', 'work')], { note: '{label}' }).hash, base);
    assert.notEqual(only([instance('google', 'work')], { folder: 'app' }).hash, base);
  });
});

describe('roots in the plan', () => {
  const base = only([instance('google', 'work')]);

  it('carries them, absent when the config has none (so the hash stays what it was)', () => {
    assert.ok(!('roots' in base));
    assert.deepEqual(only([instance('google', 'work', { roots: ['file:///a'] })]).roots, ['file:///a']);
    assert.equal(only([instance('google', 'work', { roots: false })]).roots, false);
  });

  it('a change of them changes the hash: a roots edit is seen as a change of the instance', () => {
    const hashes = [undefined, [], ['file:///a'], ['file:///b'], ['file:///a', 'file:///b'], false].map(
      (roots) => only([instance('google', 'work', roots === undefined ? {} : { roots: roots as readonly string[] | false })]).hash,
    );
    assert.equal(new Set(hashes).size, hashes.length);
    assert.equal(hashes[0], base.hash);
  });
});

describe('diffPlans', () => {
  it('sorts instances into added, removed, changed and unchanged', () => {
    const before = planInstances([instance('google', 'work'), instance('google', 'personal'), instance('echo', 'work')]);
    const after = planInstances([
      instance('google', 'work'),
      instance('google', 'personal', { redacted: stdio({ ACCOUNT: 'changed' }) }),
      instance('notes', 'work'),
    ]);
    const diff = diffPlans(before, after);
    const keys = (list: readonly PlannedInstance[]) => list.map((planned) => planned.key);
    assert.deepEqual(keys(diff.added), ['notes/work']);
    assert.deepEqual(keys(diff.removed), ['echo/work']);
    assert.deepEqual(keys(diff.changed), ['google/personal']);
    assert.deepEqual(keys(diff.unchanged), ['google/work']);
    assert.equal(diff.changed[0], after.instances[1]);
    assert.equal(diff.removed[0], before.instances[2]);
  });

  it('adds everything when there was no plan before', () => {
    const after = planInstances([instance('google', 'work')]);
    assert.deepEqual(diffPlans(undefined, after), { added: after.instances, removed: [], changed: [], unchanged: [] });
  });
});
