#!/usr/bin/env node
// Fixture for the Windows suite: tool `whoami` returns what this process was started
// with (its arguments, working folder and the folders `isolate` sets), so the runner can
// compare them with what the configuration or `wrap` asked for. Tool `echo` as echo.mjs.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import * as z from 'zod';

const server = new McpServer({ name: 'whoami', version: '1.0.0' });
server.registerTool('whoami', { description: 'What this process was started with.' }, async () => ({
  content: [
    {
      type: 'text',
      text: JSON.stringify({
        argv: process.argv.slice(2),
        cwd: process.cwd(),
        USERPROFILE: process.env.USERPROFILE,
        APPDATA: process.env.APPDATA,
        LOCALAPPDATA: process.env.LOCALAPPDATA,
        TEMP: process.env.TEMP,
      }),
    },
  ],
}));
server.registerTool(
  'echo',
  { description: 'Returns the text it is given.', inputSchema: { text: z.string() } },
  async ({ text }) => ({ content: [{ type: 'text', text }] }),
);
await server.connect(new StdioServerTransport());
