/** The text of `mcplex --help` and `mcplex help <command>`. */
import { DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_IDLE_MS } from '../core/host';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../core/wire';
import { PARENT_CHECK_MS } from './parentWatch';

// The defaults are the constants the host and the transports use, never copies of their numbers.
const SESSION_IDLE_S = DEFAULT_SESSION_IDLE_MS / 1000;
const MAX_MESSAGE_MIB = DEFAULT_MAX_MESSAGE_BYTES / (1024 * 1024);
const PARENT_CHECK_S = PARENT_CHECK_MS / 1000;

const OVERVIEW = `mcplex — run several accounts of the same MCP server side by side

Usage: mcplex <command> [options]

Commands:
  check   Validate a configuration and print every problem with its position
  list    Connect to every instance and print the tools each one exposes
  serve   Serve every instance behind one MCP endpoint (stdio, HTTP, a unix socket or a named pipe)
  wrap    Serve one upstream under one prefix over stdio (-- COMMAND… or --url URL)
  secret  Store, show, delete and list secrets (set | get | delete | list)
  pin     Show or accept pinned tool definitions (tools.pin) (show | accept)
  audit   Print the tool calls each instance made (its audit trail), or follow them

Options:
  -h, --help      Show help (also: mcplex help <command>)
  -v, --version   Print the version

The configuration is --config FILE, else the nearest .mcplex.jsonc from the current folder
upward (up to your home folder); your own file, $XDG_CONFIG_HOME/mcplex/config.jsonc (else
~/.config/mcplex/config.jsonc; on Windows %APPDATA%\\mcplex\\config.jsonc), is merged under it,
the folder's file winning per instance, and serves the current folder alone when no
.mcplex.jsonc is found. --no-user-config (or MCPLEX_NO_USER_CONFIG=1) leaves it out.
Secrets (\${secret:NAME}) come from the environment variable MCPLEX_SECRET_<NAME>, else
from the store that \`mcplex secret set NAME\` writes (the OS keychain, else
~/.config/mcplex/secrets.json, 0600). --secret-store keychain|file (or MCPLEX_SECRET_STORE)
chooses it, on every command that reads secrets (check, list, serve, wrap, secret, pin, audit).
Remote servers sign in with "auth" in the configuration (bearer, headers, command, oauth).
Exit codes: 0 success, 1 problems found, 2 usage error.
`;

const COMMAND_HELP: Readonly<Record<string, string>> = {
  audit: `Usage: mcplex audit [--config FILE] [--instance ID] [--json] [--follow] [--secret-store keychain|file]

Print the audit trail of every instance of FILE (default: the nearest .mcplex.jsonc upward),
or of one with --instance (its id, e.g. work, or server/id): each tool call that went through mcplex, oldest
first, with its time, instance, tool (the upstream's name), outcome (ok, error, declined,
timed-out) and duration. With --json, one JSON object per line, as stored (arguments only
where "audit": { "arguments": true } recorded them, known secrets redacted). With --follow
(-f), keep printing calls as they are made, across rotations, until Ctrl-C.
The trails live in $XDG_STATE_HOME/mcplex/records (else ~/.local/state/mcplex/records), one
folder per instance: audit.jsonl, rotated at 5 MiB into audit.1.jsonl… (3 kept).
`,
  check: `Usage: mcplex check [--config FILE] [--no-user-config] [--secret-store keychain|file]

Validate FILE (default: the nearest .mcplex.jsonc upward) with your own configuration under it,
saying which files were read. Prints each problem as FILE:LINE:COL: message.
Exit 0 when the configuration is valid (warnings are printed), 1 when it has errors.
`,
  list: `Usage: mcplex list [--config FILE] [--no-user-config] [--json] [--secret-store keychain|file]

Start every instance of FILE (default: the nearest .mcplex.jsonc upward; your own configuration
under it) in parallel and print the tools each
exposes: the name a client sees and the upstream tool it stands for. Progress goes to stderr.
With --json, stdout is an array of { instance, server, name, upstreamName, description },
with hidden (why the model does not see it) and roots (the instance's own) where they apply.
An instance that fails is reported and the others are still listed (exit 1 then).
`,
  serve: `Usage: mcplex serve [--config FILE] [--stdio | --http [HOST:]PORT | --socket PATH | --pipe [NAME]]
                    [--listen-fd-name NAME] [--instance ID] [--token-env NAME] [--tool-prefix prefix|none]
                    [--exposure aggregate|accounts|discovery]
                    [--session-idle-timeout SECONDS] [--max-sessions N] [--exit-when-idle SECONDS]
                    [--max-message-mb N] [--secret-store keychain|file]

Serve every instance of FILE behind one MCP endpoint, tools named <prefix>__<tool>, or
one instance with --instance (its id, e.g. work, or server/id). Over stdio by default;
--http listens on loopback at /mcp, --socket on a unix socket (mode 0600), --pipe on the
Windows named pipe \\\\.\\pipe\\NAME (default mcplex; Windows' default access: you, SYSTEM
and Administrators may write, so use a token there). With --token-env NAME, every HTTP
request must carry "Authorization: Bearer <value of NAME>".
Started by systemd with a socket (LISTEN_FDS, a .socket unit), --http and --socket listen
on that socket instead of binding one (--listen-fd-name NAME picks one of several); it must
be the address they name, loopback, and a unix socket must be 0600 (SocketMode=0600).
With --tool-prefix none, one instance's tools keep their own names (for clients that
already namespace by server); several instances behind one endpoint need their prefixes.
With --exposure accounts, a tool every account of a server publishes alike is listed once,
with an "account" parameter (the file's top-level "exposure" chooses this too).
With --exposure discovery, the endpoint lists three tools instead of every instance's:
search_tools (words of a name, description or account), describe_tool (its schema) and
call_tool (name and arguments), for clients without their own tool search.
Over HTTP or a socket, a session with no request in flight and no open stream is closed
after --session-idle-timeout seconds (default ${SESSION_IDLE_S}; 0: never), and at most --max-sessions
are kept (default ${DEFAULT_MAX_SESSIONS}; a new one closes the session idle longest); a closed session's
client gets 404 and initializes again. With --exit-when-idle SECONDS, mcplex ends once no
session has been open that long (for systemd socket activation: the next connection starts
it again); not with stdio.
An upstream message larger than --max-message-mb MiB (default ${MAX_MESSAGE_MIB}) fails the call it
answers, with the cap in the error, and that upstream is restarted; the others serve on.
Upstreams that fail are retried and restarted; logs go to stderr.
mcplex stops every upstream's process tree before it ends, however it ends: Ctrl-C
(SIGINT), SIGTERM, SIGHUP, an unexpected error (exit 1), and over stdio the client closing
stdin or its parent process going away (checked every ${PARENT_CHECK_S} s).
`,
  wrap: `Usage: mcplex wrap --prefix P [--label L] [--separator S] [--note TEXT]
                   [--tool-prefix prefix|none] [--secret-store keychain|file] [--transport stdio] -- COMMAND [ARGS…]
       mcplex wrap --prefix P [--label L] [--transport auto|http|sse]
                   [--header "Name: value"]… [--header-env Name=ENV]…
                   [sign-in: see below] [--secret-store keychain|file] --url URL

One upstream under one prefix, over stdio: tools become P__tool and each description
says which instance it is. Put it where the server's command was in your MCP client's
configuration; run it once per account with a different --prefix. With --tool-prefix none
the tools keep their own names, for clients that already namespace by server (Claude
Code's mcp__<server>__<tool>, VS Code). The separator is __ unless --separator says
otherwise (--separator : for the names of the original single-prefix proxy, MCPlexer).

Signing in to a --url upstream (MCPlexer's flags are accepted with their meanings):
  --oauth, --oauth-flow browser   sign in in a browser (OAuth authorization code)
  --oauth-flow none               no credentials beyond --header/--header-env
  --oauth-bearer-env ENV          Authorization: Bearer <value of ENV>
  --oauth-client-id ID --oauth-client-secret-env ENV
                                  without a browser flow: a machine account (client
                                  credentials); with one: a client registered beforehand
  --oauth-scope S…                scopes (space-separated, or the flag again)
  --oauth-client-name NAME        the client name registered with the provider
Browser sign-in only:
  --oauth-callback-port N         the loopback redirect's port
  --oauth-no-open                 print the sign-in URL, never open a browser
  --oauth-store FILE              keep this instance's tokens in FILE (0600)
The first start prints a sign-in URL on stderr (and opens a browser when it can); the
tokens are kept per prefix in the secret store (or FILE) and refreshed without you. The
sign-in comes back to http://127.0.0.1:<port>/oauth/callback, the port derived from the URL
and the prefix as MCPlexer derives it (pin it with --oauth-callback-port).
`,
  pin: `Usage: mcplex pin show [--config FILE] [--instance ID] [--json]
       mcplex pin accept [--config FILE] --instance ID [TOOL…]
       (each takes --secret-store keychain|file)

For instances with "tools": { "pin": true }: the first tool list mcplex sees of an instance is
approved; a tool whose description, schemas or annotations change later, and a tool that
appears later, stay hidden (and calls to them refused) until you accept them. \`show\` prints
each waiting tool with its approved and its new description (--json: the whole record);
\`accept\` approves the waiting definitions of one instance (only the TOOLs named, when given).
A running \`mcplex serve\` or VS Code window picks an accept up at once. The record is
pins.json in the instance's records folder (beside, never inside, its \${instanceDir}).
`,
  secret: `Usage: mcplex secret set NAME [--value-stdin]
       mcplex secret get NAME
       mcplex secret delete NAME
       mcplex secret list
       mcplex secret list --oauth | delete --oauth INSTANCE
       (each takes --secret-store keychain|file)

The store behind \${secret:NAME}: the OS keychain where one answers (service mcplex,
account NAME; MCPLEX_KEYCHAIN_SERVICE names another), else a JSON file of mode 0600
(MCPLEX_SECRETS_FILE, else $XDG_CONFIG_HOME/mcplex/secrets.json, else
~/.config/mcplex/secrets.json); stderr says which, and why. --secret-store keychain|file
(or MCPLEX_SECRET_STORE) chooses one. With the keychain, secrets still in the file stay
readable, \`set\` moves one into the keychain and \`delete\` removes it from both. \`set\` asks for
the value without echo on a terminal, and reads it from stdin otherwise (or always, with
--value-stdin): printf %s "$TOKEN" | mcplex secret set github-token. MCPLEX_SECRET_<NAME>
in the environment wins over the store. \`list\` prints names only. With --oauth, \`list\`
prints the instances signed in with OAuth and \`delete\` signs one out (e.g. notion/work).
A file that other users can read is refused: chmod 600 it.
`,
};

export function helpText(topic?: string): string {
  if (topic === undefined) return OVERVIEW;
  return COMMAND_HELP[topic] ?? OVERVIEW;
}
