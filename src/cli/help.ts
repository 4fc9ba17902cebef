/** The text of `mcplex --help` and `mcplex help <command>`. */
const OVERVIEW = `mcplex — run several accounts of the same MCP server side by side

Usage: mcplex <command> [options]

Commands:
  check   Validate a configuration and print every problem with its position
  list    Connect to every instance and print the tools each one exposes

Options:
  -h, --help      Show help (also: mcplex help <command>)
  -v, --version   Print the version

The configuration is ./.mcplex.jsonc unless --config says otherwise.
Secrets (\${secret:NAME}) are read from the environment variable MCPLEX_SECRET_<NAME>.
Exit codes: 0 success, 1 problems found, 2 usage error.
`;

const COMMAND_HELP: Readonly<Record<string, string>> = {
  check: `Usage: mcplex check [--config FILE]

Validate FILE (default ./.mcplex.jsonc). Prints each problem as FILE:LINE:COL: message.
Exit 0 when the configuration is valid (warnings are printed), 1 when it has errors.
`,
  list: `Usage: mcplex list [--config FILE] [--json]

Start every instance of FILE (default ./.mcplex.jsonc) in parallel and print the tools each
exposes: the name a client sees and the upstream tool it stands for. Progress goes to stderr.
With --json, stdout is an array of { instance, server, name, upstreamName, description }.
An instance that fails is reported and the others are still listed (exit 1 then).
`,
};

export function helpText(topic?: string): string {
  if (topic === undefined) return OVERVIEW;
  return COMMAND_HELP[topic] ?? OVERVIEW;
}
