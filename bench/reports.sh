#!/usr/bin/env bash
# Long-range reports in team mode (release build) on a throwaway PostgreSQL server: a
# weekly review and a monthly report older than the replica's window, read from the server
# into a period workspace, with a year of a 3,000-a-day team on the server
# (PULSEDESK_BENCH_TICKETS overrides the 1,000,000 tickets); and the live board in team mode
# over that server: an agent's new ticket until the supervisor's board shows it
# (PULSEDESK_BENCH_PHASES picks: w weekly, m monthly, b board). Prints Markdown table rows.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PULSEDESK_TEST_PG:-}" ]; then
  eval "$(scripts/pg-throwaway.sh start)"
  trap 'scripts/pg-throwaway.sh stop "$PULSEDESK_TEST_PG_DIR"' EXIT
fi
cargo bench --locked -p pulsedesk-sync --bench reports
