#!/usr/bin/env bash
# Runs every check and test of Pulsedesk: formatting, lints, type checks, UI unit tests,
# generated-types freshness, Rust unit/store tests and end-to-end tests of the real app.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
bash scripts/setup.sh --test

step() { printf '\n==> %s\n' "$*"; }

step "UI: type-check, lint, unit tests, build"
(cd ui && npm run --silent check && npm run --silent lint && npm run --silent test && npm run --silent build)

step "Rust: formatting"
cargo fmt --all -- --check

step "Rust: clippy (warnings are errors)"
cargo clippy --locked --workspace --all-targets -- -D warnings

# The shared-database tests need a PostgreSQL server: a throwaway one unless one is given.
if [ -z "${PULSEDESK_TEST_PG:-}" ]; then
  step "PostgreSQL: starting a throwaway server for the shared-database tests"
  eval "$(bash scripts/pg-throwaway.sh start)"
  trap 'bash scripts/pg-throwaway.sh stop "$PULSEDESK_TEST_PG_DIR"' EXIT
fi
export PULSEDESK_TEST_PG

step "Rust: unit, store, shared-database, generated-types and end-to-end tests (real app under Xvfb)"
runner=(cargo test --locked --workspace)
if cargo nextest --version >/dev/null 2>&1; then
  runner=(cargo nextest run --locked --workspace --no-fail-fast)
fi
# A display, a session bus and an unlocked throwaway keyring (passwords go to the Secret Service).
xvfb-run -a -s "-screen 0 1400x900x24" dbus-run-session -- bash scripts/desktop-session.sh "${runner[@]}"
