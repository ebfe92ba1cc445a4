#!/usr/bin/env bash
# Assignment figures (release build): one decision among 500 agents, draining 10,000
# waiting tickets across 500 agents on SQLite, and created → assigned latency with the
# assigner task running. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked -p pulsedesk-assign --bench assign
