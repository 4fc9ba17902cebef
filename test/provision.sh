#!/usr/bin/env bash
# Provision the system tools `npm test` meets as real components (Debian packages):
#   systemd-socket-activate (socket activation of `serve`), gnome-keyring with a D-Bus
#   session and secret-tool (the CLI's secrets in the OS keychain).
# Idempotent; a warm run is a few dpkg queries. The tests that need a tool say so and
# skip when it is absent on a machine that did not run this (macOS, a bare container).
set -euo pipefail
# shellcheck source=lib/debian-packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/debian-packages.sh"
ensure_debian_packages provision systemd gnome-keyring dbus dbus-x11 libsecret-tools
echo "provision: system tools for npm test: present"
