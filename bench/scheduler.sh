#!/usr/bin/env bash
# SLA scheduler on 10,000 open tickets (release build): re-targeting time, warning lateness
# (p50/p99/max over 20,000 thresholds in about a minute), idle CPU. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked -p pulsedesk-alerts --bench scheduler
