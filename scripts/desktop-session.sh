#!/usr/bin/env bash
# Runs a command inside the current D-Bus session with a desktop's services: an unlocked
# GNOME Keyring (the Secret Service the app keeps passwords in), its files in a throwaway
# folder so tests never touch a real keyring. Use it under dbus-run-session:
#   dbus-run-session -- scripts/desktop-session.sh cargo test -p pulsedesk-sync
set -euo pipefail
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "desktop-session: no D-Bus session; run under dbus-run-session" >&2
  exit 1
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache"
export XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# A fresh keyring, unlocked with a throwaway password.
eval "$(printf 'pulsedesk-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
"$@"
