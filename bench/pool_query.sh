#!/usr/bin/env bash
# Pool query latency over 100,000 tickets in SQLite (release build). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked -p pulsedesk-store --bench pool_query
