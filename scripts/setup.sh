#!/usr/bin/env bash
# Installs what Pulsedesk needs on Debian/Ubuntu, or says exactly what to install elsewhere.
#   scripts/setup.sh          build and run the app
#   scripts/setup.sh --test   also the test tools (WebKitWebDriver, Xvfb, D-Bus, tauri-driver)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

build_pkgs=(libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev libdbus-1-dev pkg-config
  fonts-droid-fallback fonts-dejavu-core)
test_pkgs=(webkit2gtk-driver xvfb xauth dbus dbus-x11 x11-utils xdotool postgresql gnome-keyring libsecret-tools poppler-utils)

say() { printf 'pulsedesk setup: %s\n' "$*" >&2; }

for tool in cargo node npm git; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    say "missing $tool. Install Rust (https://rustup.rs), Node.js 20.19+ with npm, and git, then run this again."
    exit 1
  fi
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  say "Node.js $(node --version) is too old; Pulsedesk's UI build needs Node.js 20.19 or newer."
  exit 1
fi

if [ "$(uname -s)" = "Linux" ]; then
  pkgs=("${build_pkgs[@]}")
  [ "$want_test" = 1 ] && pkgs+=("${test_pkgs[@]}")
  if command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    for p in "${pkgs[@]}"; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
      if [ "$(id -u)" = 0 ]; then sudo_cmd=(); elif sudo -n true 2>/dev/null; then sudo_cmd=(sudo); else
        say "missing system packages. Run:"
        say "  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
        exit 1
      fi
      say "installing ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      "${sudo_cmd[@]}" apt-get update -qq
      "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
  else
    say "not a Debian/Ubuntu system: install the WebKitGTK 4.1 development files, libayatana-appindicator3,"
    say "librsvg2 and libxdo (see https://tauri.app/start/prerequisites/), and for tests WebKitWebDriver and Xvfb."
  fi
fi

if [ "$want_test" = 1 ] && ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  say "installing tauri-driver"
  cargo install tauri-driver --locked --version 2.1.0
fi

# UI packages, exactly as locked.
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  say "installing UI packages"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
