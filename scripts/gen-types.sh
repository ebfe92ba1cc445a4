#!/usr/bin/env bash
# Regenerates ui/src/api/types.ts from the Rust types (CI fails when it is stale).
set -euo pipefail
cd "$(dirname "$0")/.."
PULSEDESK_WRITE_TYPES=1 cargo test --locked -p pulsedesk --lib typegen
