#!/usr/bin/env bash
# The team board over 1,000,000 tickets in SQLite (release build): the whole board, a ticket
# change until the board shows it, and exporting the ticket status tracking table as CSV and
# XLSX (time and peak memory). Prints Markdown tables. The first run seeds the workspace
# (cached in target/bench-data/; 20–40 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked -p pulsedesk-store --bench board
cargo bench --locked -p pulsedesk-export --bench export
