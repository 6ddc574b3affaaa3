#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests: `cluster.sh start DIR PORT` runs initdb into DIR
# as an unprivileged system user (PostgreSQL refuses to run as root), listens on 127.0.0.1:PORT
# only, and requires a password (scram-sha-256) so that a bad password can be tested;
# `cluster.sh stop DIR` stops it and removes DIR. CTest runs them as a fixture around the
# PostgreSQL tests (CMakeLists.txt), so the cluster is stopped and removed also when a test
# fails. A start finds and stops a cluster left behind by an interrupted run first.
# `cluster.sh start DIR PORT CONF` appends the settings of the file CONF after the test ones,
# so that they win (bench/run.sh: a durable cluster sized for a benchmark).
#
# The tests reach it as postgres://gridgov:gridgov-test@127.0.0.1:PORT (GRIDGOV_TEST_PG).
set -eu
cmd=${1:?usage: cluster.sh start DIR PORT [CONF] | stop DIR}
dir=${2:?cluster directory}
PGUSER_OS=gridgov-pg
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bindir" ] || { echo "cluster: PostgreSQL server binaries not found (scripts/deps.sh)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$PGUSER_OS" -- "$@"; else "$@"; fi
}

stop() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "$cmd" in
stop)
  stop
  ;;
start)
  port=${3:?port}
  conf=${4:-}
  [ -z "$conf" ] || [ -r "$conf" ] || { echo "cluster: cannot read $conf" >&2; exit 1; }
  stop # whatever an interrupted run left behind
  if [ "$(id -u)" -eq 0 ] && ! id "$PGUSER_OS" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$PGUSER_OS"
  fi
  mkdir -p "$dir"
  # on any failure from here on, leave nothing running and nothing on disk
  trap 'stop' ERR INT TERM
  echo gridgov-test >"$dir/pw"
  [ "$(id -u)" -eq 0 ] && chown -R "$PGUSER_OS" "$dir"
  chmod 700 "$dir"
  as_pg "$bindir/initdb" -D "$dir/data" -U gridgov --pwfile="$dir/pw" --auth=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; false; }
  # a throwaway cluster: durability off for speed (the tests never crash the machine);
  # enough connections for several servers with their per-thread read connections. In the
  # configuration file, so that a plain `pg_ctl start` (the restart test) brings it back alike.
  cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
CONF
  if [ -n "$conf" ]; then
    { echo "# from $conf"; cat "$conf"; } >>"$dir/data/postgresql.conf"
  fi
  as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
    { cat "$dir/server.log" >&2; false; }
  trap - ERR INT TERM
  echo "cluster: PostgreSQL on 127.0.0.1:$port ($dir)"
  ;;
*)
  echo "usage: cluster.sh start DIR PORT [CONF] | stop DIR" >&2
  exit 2
  ;;
esac
