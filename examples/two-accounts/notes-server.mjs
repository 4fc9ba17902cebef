#!/usr/bin/env node
// A small notes MCP server for the two-accounts demo: one process per account, chosen by
// the ACCOUNT env var. Two instances expose the very same tool names, which is the
// collision mcplex exists to resolve. Notes live in memory; nothing touches the network.
//
//   ACCOUNT=work node examples/two-accounts/notes-server.mjs
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import * as z from 'zod';

const account = process.env.ACCOUNT;
if (!account) {
  process.stderr.write('notes-server: set the ACCOUNT environment variable (e.g. ACCOUNT=work) to choose whose notes to serve\n');
  process.exit(2);
}

const SEEDS = {
  personal: [
    { title: 'Groceries', body: 'Milk, eggs, coffee beans, basil.' },
    { title: 'Trip', body: 'Book the train to the coast for the long weekend; pack the camera.' },
  ],
  work: [
    { title: 'Standup', body: 'Yesterday: shipped the login fix. Today: review the billing PR.' },
    { title: 'Roadmap', body: 'Q3: search revamp. Q4: offline mode and the new onboarding.' },
  ],
};

/** id → { id, title, body } in insertion order. */
const notes = new Map();
let nextId = 1;
function addNote(title, body) {
  const note = { id: String(nextId++), title, body };
  notes.set(note.id, note);
  return note;
}
for (const seed of SEEDS[account] ?? []) {
  addNote(seed.title, seed.body);
}

const text = (value) => ({ content: [{ type: 'text', text: value }] });
const summaryLine = (note) => `${note.id}: ${note.title}`;

const server = new McpServer({ name: 'notes', version: '1.0.0' });

server.registerTool(
  'list_notes',
  {
    description: 'List all notes (id and title).',
    annotations: { readOnlyHint: true },
  },
  async () => text([...notes.values()].map(summaryLine).join('\n') || '(no notes)'),
);

server.registerTool(
  'read_note',
  {
    description: 'Read one note by its id.',
    inputSchema: { id: z.string().describe('The note id, as listed by list_notes') },
    annotations: { readOnlyHint: true },
  },
  async ({ id }) => {
    const note = notes.get(id);
    if (!note) {
      return { ...text(`No note with id ${id}.`), isError: true };
    }
    return text(`# ${note.title}\n\n${note.body}`);
  },
);

server.registerTool(
  'add_note',
  {
    description: 'Add a note and return its id.',
    inputSchema: { title: z.string().min(1), body: z.string() },
  },
  async ({ title, body }) => {
    const note = addNote(title, body);
    server.sendResourceListChanged();
    return text(`Added note ${note.id}.`);
  },
);

server.registerTool(
  'search_notes',
  {
    description: 'Find notes whose title or body contains the query (case-insensitive).',
    inputSchema: { query: z.string().min(1) },
    annotations: { readOnlyHint: true },
  },
  async ({ query }) => {
    const needle = query.toLowerCase();
    const hits = [...notes.values()].filter((note) => `${note.title}\n${note.body}`.toLowerCase().includes(needle));
    return text(hits.map(summaryLine).join('\n') || 'No matching notes.');
  },
);

// One resource per note, listed through the template so notes added later show up too.
server.registerResource(
  'note',
  new ResourceTemplate('notes://{id}', {
    list: async () => ({
      resources: [...notes.values()].map((note) => ({ uri: `notes://${note.id}`, name: note.title, mimeType: 'text/markdown' })),
    }),
  }),
  { description: 'A note, as Markdown.', mimeType: 'text/markdown' },
  async (uri, { id }) => {
    const note = notes.get(String(id));
    if (!note) {
      throw new Error(`No note with id ${id}.`);
    }
    return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: `# ${note.title}\n\n${note.body}` }] };
  },
);

server.registerPrompt(
  'summarize_notes',
  {
    description: 'Ask for a short summary of all notes.',
    argsSchema: { focus: z.string().optional().describe('What to pay attention to, e.g. deadlines') },
  },
  ({ focus }) => {
    const all = [...notes.values()].map((note) => `## ${note.title}\n${note.body}`).join('\n\n') || '(no notes)';
    const ask = focus ? `Summarize these notes, focusing on ${focus}.` : 'Summarize these notes.';
    return { messages: [{ role: 'user', content: { type: 'text', text: `${ask}\n\n${all}` } }] };
  },
);

await server.connect(new StdioServerTransport());
