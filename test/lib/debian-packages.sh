# Sourced by the provisioning scripts: installs the Debian packages they name that are not
# installed yet (one `apt-get update` first), as root or through sudo, and says which.
# A package that cannot be installed fails the run with its name; nothing is skipped.

# ensure_debian_packages WHO PACKAGE… — WHO prefixes the messages (e.g. "provision").
ensure_debian_packages() {
  local who="$1" package
  shift
  local missing=()
  for package in "$@"; do
    # dpkg -s alone also succeeds for removed-but-configured packages; ask for the status.
    if [[ "$(dpkg-query -W -f='${Status}' "${package}" 2>/dev/null || true)" != "install ok installed" ]]; then
      missing+=("${package}")
    fi
  done
  ((${#missing[@]} == 0)) && return 0
  local as_root=()
  if ((EUID != 0)); then
    if ! command -v sudo >/dev/null; then
      echo "${who}: error: Debian packages missing (${missing[*]}) and not root and no sudo: install them, then rerun" >&2
      return 1
    fi
    as_root=(sudo)
  fi
  echo "${who}: installing Debian packages: ${missing[*]}"
  if ! "${as_root[@]}" apt-get update -q >/dev/null; then
    echo "${who}: error: apt-get update failed: Debian's package index is not reachable" >&2
    return 1
  fi
  if ! DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
    echo "${who}: error: apt-get install failed for: ${missing[*]}" >&2
    return 1
  fi
}
