#!/usr/bin/env bash
# Cold start to an interactive pool of 10,000 open tickets, and whole-app memory at idle (PSS of
# the app and its WebKit processes), release build, under Xvfb. Prints a Markdown table.
#   bench/startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
tickets=10000

(cd ui && npm run --silent build)
cargo build --locked --release -p pulsedesk
bin=$PWD/target/release/pulsedesk

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=$work/data

cat > "$work/measure.sh" <<'INNER'
#!/usr/bin/env bash
# Runs inside one X display and one session bus; launches the app once per run.
set -euo pipefail
bin=$1 data=$2 runs=$3 tickets=$4 out=$5
export PULSEDESK_DATA_DIR=$data PULSEDESK_REPORT_STARTUP=1 PULSEDESK_DEMO_TICKETS=$tickets PULSEDESK_DEMO_DAYS=0
export WEBKIT_DISABLE_DMABUF_RENDERER=1 PULSEDESK_LOCALE=en_US.UTF-8

descendants() { local p=$1; echo "$p"; for c in $(pgrep -P "$p"); do descendants "$c"; done; }
pss_kib() { local sum=0; for p in $(descendants "$1"); do
  v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0); sum=$((sum + ${v:-0})); done; echo $sum; }

wait_ready() { # log-file -> prints the READY line
  for _ in $(seq 1 600); do
    if grep -q PULSEDESK_READY "$1"; then grep PULSEDESK_READY "$1" | head -1; return 0; fi
    sleep 0.05
  done
  echo "app did not become ready" >&2; cat "$1" >&2; return 1
}

# First launch seeds the workspace (not measured); sign in as a supervisor so the pool shows.
"$bin" > "$data.seed.log" 2>&1 & pid=$!
for _ in $(seq 1 600); do [ -f "$data/workspace.db" ] && grep -q "accounts\|READY" "$data.seed.log" 2>/dev/null && break; sleep 0.1; done
sleep 3; kill "$pid"; wait "$pid" 2>/dev/null || true
python3 - "$data/workspace.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
sid = db.execute("SELECT id FROM users WHERE role = 'supervisor' ORDER BY id LIMIT 1").fetchone()[0]
db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('session.user_id', ?)", (str(sid),))
db.commit()
print("open tickets:", db.execute("SELECT COUNT(*) FROM tickets WHERE stage <> 'done'").fetchone()[0], file=sys.stderr)
PY

for i in $(seq 1 "$runs"); do
  sync
  t0=$(date +%s%3N)
  "$bin" > "$data.run$i.log" 2>&1 & pid=$!
  line=$(wait_ready "$data.run$i.log")
  ready=$(sed -E 's/.*epoch_ms=([0-9]+).*/\1/' <<<"$line")
  screen=$(sed -E 's/.*screen=([a-z]+).*/\1/' <<<"$line")
  sleep 5
  pss=$(pss_kib "$pid")
  echo "$((ready - t0)) $pss $screen" >> "$out"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  sleep 1
done
INNER
chmod +x "$work/measure.sh"

xvfb-run -a -s "-screen 0 1400x900x24" dbus-run-session -- "$work/measure.sh" "$bin" "$data" "$runs" "$tickets" "$work/results"

python3 - "$work/results" "$tickets" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
starts = sorted(int(r[0]) for r in rows)
pss = sorted(int(r[1]) / 1024 for r in rows)
screens = {r[2] for r in rows}
assert screens == {"pool"}, f"expected the pool to be the first screen, got {screens}"
print(f"| figure ({sys.argv[2]} open tickets, {len(rows)} runs) | median | worst |")
print("|---|---|---|")
print(f"| cold start to interactive pool (ms) | {statistics.median(starts):.0f} | {starts[-1]} |")
print(f"| whole-app PSS at idle, pool open (MiB) | {statistics.median(pss):.0f} | {pss[-1]:.0f} |")
PY
