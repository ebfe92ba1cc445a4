#!/usr/bin/env bash
# Sync figures (release build) on a throwaway PostgreSQL server, with the team service
# applying what desktops submit: a command on desktop A visible in desktop B's replica with
# 50 desktops connected (one at a time, then ~1,000 commands/s; then the same load submitted
# by 50 sessions with one replica following), catching up 10,000 changes made offline, and
# (PULSEDESK_BENCH_PHASES=5) the service's own pace. Prints Markdown table rows.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PULSEDESK_TEST_PG:-}" ]; then
  eval "$(scripts/pg-throwaway.sh start)"
  trap 'scripts/pg-throwaway.sh stop "$PULSEDESK_TEST_PG_DIR"' EXIT
fi
cargo bench --locked -p pulsedesk-sync --bench sync
