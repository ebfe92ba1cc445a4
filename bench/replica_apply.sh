#!/usr/bin/env bash
# One server change written into a desktop's replica (release build): the local half of
# every pull, paid once per desktop for every change the team makes. Prints a table row.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked -p pulsedesk-store --bench replica_apply
