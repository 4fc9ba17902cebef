// MCP Apps (SEP-1865) through mcplex, with the fixture app server as upstream: the
// extension is announced to it, `_meta.ui` and `ui://` views pass intact (the aggregate
// keeps views in the `ui://` scheme), and a view's call by its server's own tool name
// reaches that server's instance — never a tool tools.deny hides.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { stdioClient } from '../../helpers/cli';
import { appServerRequests, fixturePath } from '../../fixtures/servers';

const EXTENSION = 'io.modelcontextprotocol/ui';
const MIME = 'text/html;profile=mcp-app';
const VIEW = 'ui://weather/view.html';
/** A host that renders apps (VS Code) announces the extension; over stdio mcplex tells the upstream what its client announced. */
const APP_HOST = { extensions: { [EXTENSION]: { mimeTypes: [MIME] } } };

function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((part) => part.text ?? '').join('\n');
}

function uiOf(tool: { _meta?: Record<string, unknown> | undefined } | undefined): Record<string, unknown> | undefined {
  return tool?._meta?.['ui'] as Record<string, unknown> | undefined;
}

describe('MCP Apps through mcplex', () => {
  let dir: string;
  let config: string;
  const logOf = (instance: string): string => join(dir, `${instance}.log`);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcplex-apps-'));
    config = join(dir, '.mcplex.jsonc');
    const server = {
      command: process.execPath,
      args: [fixturePath('app-server')],
      instances: {
        work: { env: { CITY: 'Lisbon', APP_SERVER_LOG: logOf('work') } },
        home: { env: { CITY: 'Oslo', APP_SERVER_LOG: logOf('home') }, tools: { deny: ['refresh_weather'] } },
      },
    };
    writeFileSync(config, JSON.stringify({ servers: { weather: server } }));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('tells the upstream nothing of apps when the client does not render them (wrap)', async () => {
    const log = join(dir, 'plain.log');
    const client = await stdioClient(['wrap', '--prefix', 'work', '--', process.execPath, fixturePath('app-server')], { APP_SERVER_LOG: log });
    try {
      const { tools } = await client.listTools();
      const initialize = appServerRequests(log).find((request) => request.method === 'initialize');
      assert.equal((initialize?.params['capabilities'] as { extensions?: unknown } | undefined)?.extensions, undefined);
      // The server attaches views only for a host that announced the extension, as it would directly.
      assert.equal(uiOf(tools.find((tool) => tool.name === 'work__show_weather')), undefined);
    } finally {
      await client.close();
    }
  });

  describe('an instance (wrap, prefixed names)', () => {
    let client: Client;
    const log = (): string => logOf('wrapped');

    before(async () => {
      client = await stdioClient(['wrap', '--prefix', 'work', '--', process.execPath, fixturePath('app-server')], { APP_SERVER_LOG: log(), CITY: 'Porto' }, APP_HOST);
    });
    after(() => client.close());

    it('announces the extension upstream, and passes on what the server declares of it', () => {
      const initialize = appServerRequests(log()).find((request) => request.method === 'initialize');
      const capabilities = initialize?.params['capabilities'] as { extensions?: Record<string, { mimeTypes?: string[] }> } | undefined;
      assert.deepEqual(capabilities?.extensions?.[EXTENSION]?.mimeTypes, [MIME]);
      assert.deepEqual(client.getServerCapabilities()?.extensions?.[EXTENSION], {});
    });

    it('keeps _meta.ui (and the flat key) as the server wrote it, app-only tools listed', async () => {
      const { tools } = await client.listTools();
      const show = tools.find((tool) => tool.name === 'work__show_weather');
      assert.deepEqual(uiOf(show), { resourceUri: VIEW });
      assert.equal(show?._meta?.['ui/resourceUri'], VIEW);
      // The host hides an app-only tool from the model; it must be listed for the view to call it.
      assert.deepEqual(uiOf(tools.find((tool) => tool.name === 'work__refresh_weather')), { resourceUri: VIEW, visibility: ['app'] });
    });

    it('lists and reads the ui:// view intact', async () => {
      const { resources } = await client.listResources();
      assert.deepEqual(resources.map((resource) => [resource.uri, resource.mimeType]), [[VIEW, MIME]]);
      const read = await client.readResource({ uri: VIEW });
      assert.equal(read.contents[0]?.uri, VIEW);
      assert.equal(read.contents[0]?.mimeType, MIME);
      assert.deepEqual(read.contents[0]?._meta, { ui: { prefersBorder: true } });
    });

    it('routes a view\'s call by the server\'s own tool name', async () => {
      assert.match(textOf(await client.callTool({ name: 'refresh_weather', arguments: {} })), /refreshed Porto/);
      const calls = appServerRequests(log()).filter((request) => request.method === 'tools/call');
      assert.deepEqual(calls.map((call) => call.params['name']), ['refresh_weather']);
    });
  });

  it('an instance refuses a call by the upstream name of a denied tool, and the server never hears of it', async () => {
    const client = await stdioClient(['serve', '--config', config, '--instance', 'home'], {}, APP_HOST);
    try {
      await assert.rejects(client.callTool({ name: 'refresh_weather', arguments: {} }), /Unknown tool "refresh_weather"/);
      await assert.rejects(client.callTool({ name: 'home__refresh_weather', arguments: {} }), /Tool "home__refresh_weather" is not available: this account denies it \(tools\.deny\)/);
      assert.match(textOf(await client.callTool({ name: 'show_weather', arguments: {} })), /sunny in Oslo/);
      assert.deepEqual(appServerRequests(logOf('home')).filter((request) => request.method === 'tools/call').map((call) => call.params['name']), ['show_weather']);
    } finally {
      await client.close();
    }
  });

  describe('the aggregate (serve)', () => {
    let client: Client;

    before(async () => {
      rmSync(logOf('work'), { force: true });
      rmSync(logOf('home'), { force: true });
      client = await stdioClient(['serve', '--config', config], {}, APP_HOST);
    });
    after(() => client.close());

    it('announces the extension to every instance and passes the servers\' declaration on', () => {
      for (const instance of ['work', 'home']) {
        const initialize = appServerRequests(logOf(instance)).find((request) => request.method === 'initialize');
        const capabilities = initialize?.params['capabilities'] as { extensions?: Record<string, { mimeTypes?: string[] }> } | undefined;
        assert.deepEqual(capabilities?.extensions?.[EXTENSION]?.mimeTypes, [MIME], instance);
      }
      assert.deepEqual(client.getServerCapabilities()?.extensions?.[EXTENSION], {});
    });

    it('names each instance\'s view inside the ui:// scheme, in tools and resources', async () => {
      const { tools } = await client.listTools();
      const byName = new Map(tools.map((tool) => [tool.name, tool]));
      assert.deepEqual(uiOf(byName.get('work__show_weather')), { resourceUri: 'ui://work.weather/view.html' });
      assert.equal(byName.get('home__show_weather')?._meta?.['ui/resourceUri'], 'ui://home.weather/view.html');
      assert.deepEqual(uiOf(byName.get('work__refresh_weather')), { resourceUri: 'ui://work.weather/view.html', visibility: ['app'] });
      assert.equal(byName.has('home__refresh_weather'), false, 'home denies it');
      const { resources } = await client.listResources();
      assert.deepEqual(resources.map((resource) => resource.uri).sort(), ['ui://home.weather/view.html', 'ui://work.weather/view.html']);
      const { resourceTemplates } = await client.listResourceTemplates();
      assert.deepEqual(resourceTemplates.map((template) => template.uriTemplate).sort(), ['ui://home.weather/views/{name}', 'ui://work.weather/views/{name}']);
    });

    it('reads a view by its ui:// name from its own instance', async () => {
      const read = await client.readResource({ uri: 'ui://home.weather/view.html' });
      assert.equal(read.contents[0]?.uri, 'ui://home.weather/view.html');
      assert.equal(read.contents[0]?.mimeType, MIME);
      assert.match(JSON.stringify(read.contents[0]), /Weather app of weather/);
      const expanded = await client.readResource({ uri: 'ui://work.weather/views/compact' });
      assert.equal(expanded.contents[0]?.uri, 'ui://work.weather/views/compact');
      const reads = (instance: string): unknown[] => appServerRequests(logOf(instance)).filter((request) => request.method === 'resources/read').map((request) => request.params['uri']);
      assert.deepEqual(reads('home'), [VIEW]);
      assert.deepEqual(reads('work'), ['ui://weather/views/compact']);
    });

    it('renames a view link in a result inside the ui:// scheme', async () => {
      const result = await client.callTool({ name: 'home__show_weather', arguments: {} });
      const link = (result.content as { type: string; uri?: string }[]).find((block) => block.type === 'resource_link');
      assert.equal(link?.uri, 'ui://home.weather/view.html');
    });

    it('routes a view\'s call by upstream name to the one instance that exposes it', async () => {
      assert.match(textOf(await client.callTool({ name: 'refresh_weather', arguments: {} })), /refreshed Lisbon/);
      assert.deepEqual(appServerRequests(logOf('work')).filter((request) => request.method === 'tools/call').map((call) => call.params['name']), ['refresh_weather']);
    });

    it('refuses an upstream name several instances expose, naming them', async () => {
      await assert.rejects(client.callTool({ name: 'show_weather', arguments: {} }), /"show_weather" is offered by several instances here: "work__show_weather" \(instance "work"\), "home__show_weather" \(instance "home"\)/);
    });
  });
});
