#!/usr/bin/env bash
# Keyword extraction (jieba word segmentation) over 100,000 ticket texts, release build.
# Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked -p pulsedesk-keywords --bench extract
