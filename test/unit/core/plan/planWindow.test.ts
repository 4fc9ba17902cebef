import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResolvedInstance, UpstreamSpec } from '../../../../src/core/config/model';
import { planWindow, type WindowFolder, type WindowInstance } from '../../../../src/core/plan';

function stdio(env: Record<string, string>): UpstreamSpec {
  return { kind: 'stdio', command: 'node', args: ['notes.mjs'], env };
}

function instance(serverId: string, instanceId: string, overrides: Partial<ResolvedInstance> = {}): ResolvedInstance {
  return {
    serverId,
    instanceId,
    serverLabel: 'Notes',
    instanceLabel: instanceId[0]?.toUpperCase() + instanceId.slice(1),
    upstream: stdio({ ACCOUNT: instanceId }),
    redacted: stdio({ ACCOUNT: instanceId }),
    tools: {},
    location: { file: '/ws/.mcplex.jsonc', path: ['servers', serverId, 'instances', instanceId], offset: 0, length: 1, line: 1, column: 1 },
    secrets: [],
    ...overrides,
  };
}

function folder(id: string, instances: readonly ResolvedInstance[], extra: Partial<WindowFolder> = {}): WindowFolder {
  return { id: `file:///${id}`, name: id, instances, ...extra };
}

const byKey = (instances: readonly WindowInstance[]) => new Map(instances.map((i) => [i.id, i]));

describe('planWindow', () => {
  it('gives every instance of the window a distinct slug, also across folders with the same keys', () => {
    const plan = planWindow([folder('app', [instance('notes', 'work'), instance('notes', 'personal')]), folder('lib', [instance('notes', 'work')])]);
    const slugs = plan.instances.map((i) => i.slug);
    assert.equal(new Set(slugs).size, 3);
    for (const slug of slugs) assert.match(slug, /^[a-z0-9_-]{1,13}$/);
    const planned = byKey(plan.instances);
    assert.equal(planned.get('file:///app#notes/personal')?.slug, 'notes-persona', 'a slug nobody else wants stays readable (13 characters)');
    assert.notEqual(planned.get('file:///app#notes/work')?.slug, planned.get('file:///lib#notes/work')?.slug);
    for (const slug of slugs) assert.ok(slug.startsWith('notes-'), `one stem for one server in every folder: ${slug}`);
    // The running copy carries the window's slug, label and hash, not the folder's.
    for (const item of plan.instances) {
      assert.equal(item.planned?.slug, item.slug);
      assert.equal(item.planned?.label, item.label);
      assert.equal(item.planned?.hash, item.hash);
    }
  });

  it('gives all accounts of a server one stem, and renames none when an account is added', () => {
    const before = byKey(planWindow([folder('app', [instance('memory', 'work'), instance('memory', 'personal')])]).instances);
    assert.equal(before.get('file:///app#memory/work')?.slug, 'memory-work');
    assert.equal(before.get('file:///app#memory/personal')?.slug, 'memory-person');
    const after = byKey(planWindow([folder('app', [instance('memory', 'work'), instance('memory', 'personal'), instance('memory', 'team')])]).instances);
    assert.equal(after.get('file:///app#memory/work')?.hash, before.get('file:///app#memory/work')?.hash);
    assert.equal(after.get('file:///app#memory/personal')?.hash, before.get('file:///app#memory/personal')?.hash);
    assert.equal(after.get('file:///app#memory/team')?.slug, 'memory-team');
  });

  it('adds the folder name only to labels two folders share', () => {
    const plan = planWindow([folder('app', [instance('notes', 'work'), instance('notes', 'personal')]), folder('lib', [instance('notes', 'work')])]);
    const labels = plan.instances.map((i) => [i.id, i.label]);
    assert.deepEqual(labels, [
      ['file:///app#notes/work', 'Notes (Work, app)'],
      ['file:///app#notes/personal', 'Notes (Personal)'],
      ['file:///lib#notes/work', 'Notes (Work, lib)'],
    ]);
  });

  it('adds the folder name also to labels of two folders that differ only in case or punctuation', () => {
    const plan = planWindow([folder('app', [instance('notes', 'work')]), folder('lib', [instance('notes', 'work', { instanceLabel: 'work!' })])]);
    assert.deepEqual(
      plan.instances.map((i) => i.label),
      ['Notes (Work, app)', 'Notes (work!, lib)'],
    );
    assert.deepEqual(plan.folders.flatMap((f) => f.problems), [], 'a folder name added across folders is expected, not a problem');
  });

  it('tells apart two folders of the same name', () => {
    const plan = planWindow([folder('a/app', [instance('notes', 'work')], { name: 'app' }), folder('b/app', [instance('notes', 'work')], { name: 'app' })]);
    const [first, second] = plan.instances.map((i) => i.label);
    assert.notEqual(first, second);
    assert.match(first ?? '', /^Notes \(Work, app, [0-9a-f]{4}\)$/);
  });

  it('is independent of the order of folders', () => {
    const app = folder('app', [instance('notes', 'work')]);
    const lib = folder('lib', [instance('notes', 'work')]);
    const forward = byKey(planWindow([app, lib]).instances);
    const backward = byKey(planWindow([lib, app]).instances);
    for (const [id, item] of forward) {
      assert.equal(backward.get(id)?.slug, item.slug);
      assert.equal(backward.get(id)?.label, item.label);
      assert.equal(backward.get(id)?.hash, item.hash);
    }
  });

  it('changes the hash with the final label and slug, and with the surface', () => {
    const alone = byKey(planWindow([folder('app', [instance('notes', 'work')])]).instances).get('file:///app#notes/work');
    const shared = byKey(planWindow([folder('app', [instance('notes', 'work')]), folder('lib', [instance('notes', 'work')])]).instances).get('file:///app#notes/work');
    assert.ok(alone && shared);
    assert.equal(alone.label, 'Notes (Work)');
    assert.notEqual(alone.hash, shared.hash, 'a label that gained the folder is a new version');
    const prefixed = byKey(planWindow([folder('app', [instance('notes', 'work')], { surface: { toolPrefix: true } })]).instances).get('file:///app#notes/work');
    assert.notEqual(prefixed?.hash, alone.hash);
    const again = byKey(planWindow([folder('app', [instance('notes', 'work')])]).instances).get('file:///app#notes/work');
    assert.equal(again?.hash, alone.hash, 'the same input plans the same hash');
  });

  it('keeps the hash of an instance when another one of its folder changes', () => {
    const before = byKey(planWindow([folder('app', [instance('notes', 'work'), instance('notes', 'personal')])]).instances);
    const edited = instance('notes', 'personal', { upstream: stdio({ ACCOUNT: 'p', X: '1' }), redacted: stdio({ ACCOUNT: 'p', X: '1' }) });
    const after = byKey(planWindow([folder('app', [instance('notes', 'work'), edited])]).instances);
    assert.equal(after.get('file:///app#notes/work')?.hash, before.get('file:///app#notes/work')?.hash);
    assert.notEqual(after.get('file:///app#notes/personal')?.hash, before.get('file:///app#notes/personal')?.hash);
  });

  it('names instances that wait for a secret without planning a process for them', () => {
    const pending = { serverId: 'notes', instanceId: 'work', serverLabel: 'Notes', instanceLabel: 'Work', location: instance('notes', 'work').location, secrets: ['key'] };
    const plan = planWindow([folder('app', [instance('notes', 'personal')], { pending: [pending] })]);
    const work = byKey(plan.instances).get('file:///app#notes/work');
    assert.ok(work);
    assert.equal(work.planned, undefined);
    assert.deepEqual(work.missingSecrets, ['key']);
    assert.equal(work.label, 'Notes (Work)');
    assert.equal(work.slug, 'notes-work');
  });

  it('keeps each folder plan’s separator and problems', () => {
    const plan = planWindow([folder('app', [instance('notes', 'work'), instance('notes', 'work')], { separator: '--' })]);
    assert.equal(plan.folders[0]?.separator, '--');
    assert.deepEqual(plan.folders[0]?.problems.map((p) => p.code), ['duplicate-instance']);
    assert.equal(plan.instances.length, 1);
  });
});
