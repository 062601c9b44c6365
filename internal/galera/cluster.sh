#!/usr/bin/env bash
# Start, stop or report a local 3-node MariaDB Galera cluster for the Galera tests:
# SQL ports 4406-4408, gcomm 4567/4577/4587, IST 4568/4578/4588, SST (rsync) 4569/4579/4589,
# data under /tmp/schemactl-galera. It never touches the system server on 3306 (--no-defaults:
# /etc/mysql is not read). Idempotent: `start` only starts the nodes that do not answer, so it
# is fast when the cluster already runs.
#
#   internal/galera/cluster.sh start|stop|status
set -euo pipefail

BASE=${SCHEMACTL_GALERA_DIR:-/tmp/schemactl-galera}
PROVIDER=/usr/lib/galera/libgalera_smm.so
NODES="1 2 3"
GCOMM="gcomm://127.0.0.1:4567,127.0.0.1:4577,127.0.0.1:4587"

sqlport() { echo $((4405 + $1)); }
gport() { echo $((4557 + 10 * $1)); }
dir() { echo "$BASE/node$1"; }

sql() { # node, statement
  mariadb --no-defaults -h127.0.0.1 -P"$(sqlport "$1")" -uroot -N -B -e "$2" 2>/dev/null
}

# synced: the node answers and has joined the primary component.
synced() {
  [ "$(sql "$1" "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_LOCAL_STATE_COMMENT'" || true)" = Synced ]
}

running() { # the process of node $1 is alive
  local pid
  pid=$(cat "$(dir "$1")/launch.pid" 2>/dev/null || cat "$(dir "$1")/mariadbd.pid" 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null
}

start_node() { # node, extra args...
  local n=$1 d g
  shift
  d=$(dir "$n")
  g=$(gport "$n")
  if [ ! -d "$d/data/mysql" ] && [ "$*" = --wsrep-new-cluster ]; then
    mkdir -p "$d/data"
    chown -R mysql:mysql "$d"
    mariadb-install-db --no-defaults --user=mysql --datadir="$d/data" --skip-test-db \
      --auth-root-authentication-method=normal >"$d/install.log" 2>&1 \
      || { cat "$d/install.log" >&2; exit 1; }
  fi
  mkdir -p "$d/data"
  chown -R mysql:mysql "$d"
  # mariadbd refuses root; the small InnoDB settings keep the start at a few seconds.
  /usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$d/data" \
    --port="$(sqlport "$n")" --bind-address=127.0.0.1 --socket="$d/mysqld.sock" \
    --pid-file="$d/mariadbd.pid" --log-error="$d/error.log" \
    --innodb-buffer-pool-size=32M --innodb-log-file-size=16M --skip-name-resolve \
    --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
    --wsrep-on=ON --wsrep-provider="$PROVIDER" --wsrep-cluster-name=schemactl \
    --wsrep-cluster-address="$GCOMM" --wsrep-node-name="node$n" \
    --wsrep-node-address="127.0.0.1:$g" \
    --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$g;ist.recv_addr=127.0.0.1:$((g + 1));gcache.size=16M" \
    --wsrep-sst-receive-address="127.0.0.1:$((g + 2))" --wsrep-sst-method=rsync \
    "$@" </dev/null >>"$d/stdout.log" 2>&1 &
  # mariadbd writes its own pid file only after the state transfer; remember it now.
  echo $! >"$d/launch.pid"
}

try_synced() { # node, seconds: 0 once Synced, 1 when the process died or time ran out
  local i
  for i in $(seq 1 $(($2 * 4))); do
    synced "$1" && return 0
    if [ "$i" -gt 8 ] && ! running "$1"; then return 1; fi
    sleep 0.25
  done
  return 1
}

wait_synced() { # node, seconds
  try_synced "$1" "$2" && return 0
  echo "galera node$1 did not reach Synced; tail of $(dir "$1")/error.log:" >&2
  tail -n 30 "$(dir "$1")/error.log" >&2 || true
  exit 1
}

# start_synced starts node $1 and waits for it to be Synced; a node whose
# previous process was killed a moment ago may find its files or ports
# still held and exit at once: it is started once more after a pause.
start_synced() { # node, seconds, extra args...
  local n=$1 t=$2
  shift 2
  start_node "$n" "$@"
  try_synced "$n" "$t" && return 0
  if ! running "$n"; then
    sleep 3
    start_node "$n" "$@"
  fi
  wait_synced "$n" "$t"
}

cmd_status() {
  local n rc=0
  for n in $NODES; do
    if synced "$n"; then
      echo "node$n 127.0.0.1:$(sqlport "$n") Synced (cluster size $(sql "$n" "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_CLUSTER_SIZE'"))"
    else
      echo "node$n 127.0.0.1:$(sqlport "$n") down"
      rc=1
    fi
  done
  return $rc
}

cmd_start() {
  local n any=0 todo=""
  for n in $NODES; do
    if synced "$n"; then any=1; else todo="$todo $n"; fi
  done
  if [ -z "$todo" ]; then
    sql 1 "CREATE DATABASE IF NOT EXISTS test"
    cmd_status
    return
  fi
  for n in $todo; do
    # Alive but not synced: joining (wait for it), or a process killed a
    # moment ago that is still going away (start it again below).
    if running "$n" && try_synced "$n" 30; then
      todo=${todo/ $n/}
      any=1
    fi
  done
  if [ "$any" = 0 ] && [ -n "$todo" ]; then
    # No member is up: bootstrap node 1 (its grastate may say it was not the last to leave;
    # this is a test cluster, its data is disposable).
    n=${todo%% *}; n=${todo# }; n=${n%% *}
    [ -f "$(dir "$n")/data/grastate.dat" ] &&
      sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$(dir "$n")/data/grastate.dat"
    start_synced "$n" 60 --wsrep-new-cluster
    sql "$n" "CREATE USER IF NOT EXISTS root@'127.0.0.1'; GRANT ALL ON *.* TO root@'127.0.0.1' WITH GRANT OPTION" || true
    todo=${todo/ $n/}
  fi
  # Joiners one after another: rsync SST makes the donor read-only for a moment, and two at
  # once would queue behind each other anyway.
  for n in $todo; do
    start_synced "$n" 60
  done
  # The tests' URLs name database test, as on the single server.
  sql "$(echo $NODES | cut -d' ' -f1)" "CREATE DATABASE IF NOT EXISTS test"
  cmd_status
}

cmd_stop() {
  local n pid
  for n in 3 2 1; do # node 1 leaves last, so it is safe to bootstrap from next time
    running "$n" || continue
    pid=$(cat "$(dir "$n")/launch.pid" 2>/dev/null || cat "$(dir "$n")/mariadbd.pid")
    kill "$pid"
    for _ in $(seq 1 240); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  done
  echo "galera cluster stopped"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
