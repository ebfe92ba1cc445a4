#!/usr/bin/env bash
# Launches Pulsedesk on its embedded workspace (a local SQLite file with a demo team and tickets).
#   scripts/launch.sh             debug build (quickest first build)
#   scripts/launch.sh --release   optimised build
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
(cd ui && npm run --silent build)
profile=()
[ "${1:-}" = "--release" ] && profile=(--release)
cargo build --locked -p pulsedesk "${profile[@]}"
bin=target/debug/pulsedesk
[ "${1:-}" = "--release" ] && bin=target/release/pulsedesk
if [ "$(uname -s)" = "Linux" ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "pulsedesk: no display found; running under a virtual one (xvfb-run)." >&2
  exec xvfb-run -a -s "-screen 0 1400x900x24" dbus-run-session -- "$bin"
fi
exec "$bin"
