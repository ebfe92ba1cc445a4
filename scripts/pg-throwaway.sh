#!/usr/bin/env bash
# A throwaway PostgreSQL server for the shared-database tests: its own cluster in a temp
# folder, on a free loopback port, with a random superuser password.
#   eval "$(scripts/pg-throwaway.sh start)"   # sets PULSEDESK_TEST_PG and PULSEDESK_TEST_PG_DIR
#   scripts/pg-throwaway.sh stop "$PULSEDESK_TEST_PG_DIR"
# The fault tests also take their own cluster down and up again:
#   scripts/pg-throwaway.sh down DIR   # fast shutdown (sessions are cut)
#   scripts/pg-throwaway.sh up DIR     # start again on the same port
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL server binaries not found. Install them: sudo apt-get install -y postgresql" >&2
  exit 1
fi
# initdb refuses to run as root: run the server as the postgres user then.
as_pg=()
[ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)

# Starts the cluster in $1 on port $2; fails when it did not start.
try_start() {
  "${as_pg[@]}" "$bin/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 30 \
    -o "-p $2 -k $1 -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=400" \
    start >/dev/null
}

# Starts the cluster in $1 on the port it was made with.
serve() {
  try_start "$1" "$(cat "$1/port")" || { cat "$1/server.log" >&2; exit 1; }
}

throwaway() {
  case "$1" in /tmp/pulsedesk-pg.*) ;; *) echo "not a throwaway cluster: $1" >&2; exit 1 ;; esac
}

case "${1:-start}" in
start)
  dir=$(mktemp -d /tmp/pulsedesk-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  pw=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  (umask 077; printf '%s\n' "$pw" > "$dir/pw")
  [ "$(id -u)" = 0 ] && chown postgres "$dir/pw"
  "${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pw" -A scram-sha-256 \
    --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pw"
  # Ports below the kernel's ephemeral range (where outgoing connections take theirs), and
  # another try when a port is taken between the probe and the bind (tests start servers
  # side by side).
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  started=
  for p in $(shuf -i 10000-$((low - 1)) -n 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then continue; fi
    echo "$p" > "$dir/port"
    if try_start "$dir" "$p"; then
      started=$p
      break
    fi
    grep -q "Address already in use" "$dir/server.log" || { cat "$dir/server.log" >&2; exit 1; }
  done
  [ -n "$started" ] || { echo "no free port found" >&2; cat "$dir/server.log" >&2; exit 1; }
  echo "export PULSEDESK_TEST_PG='postgres://postgres:$pw@127.0.0.1:$started/postgres'"
  echo "export PULSEDESK_TEST_PG_DIR='$dir'"
  ;;
down)
  dir=${2:?usage: pg-throwaway.sh down DIR}
  throwaway "$dir"
  "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  ;;
up)
  dir=${2:?usage: pg-throwaway.sh up DIR}
  throwaway "$dir"
  serve "$dir"
  ;;
stop)
  dir=${2:?usage: pg-throwaway.sh stop DIR}
  throwaway "$dir"
  if ! "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1; then
    echo "the server in $dir was not running" >&2
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: pg-throwaway.sh start | stop DIR | down DIR | up DIR" >&2
  exit 2
  ;;
esac
