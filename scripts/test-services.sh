#!/usr/bin/env bash
# The PostgreSQL and RabbitMQ that the integration tests use, on 127.0.0.1 only, started without systemd.
#
#   scripts/test-services.sh start    installs the Debian packages if missing, starts both, prints `export` lines
#   scripts/test-services.sh env      prints the `export` lines again
#   scripts/test-services.sh stop [postgres] [rabbitmq]    stops what `start` started (everything by default)
#
# Use: eval "$(scripts/test-services.sh start)"; ... ; scripts/test-services.sh stop
# The exports: INFERA_TEST_POSTGRES (an Npgsql connection string for superuser infera, database infera),
# INFERA_TEST_RABBITMQ (an amqp:// URI), and INFERA_TEST_SERVICES_STARTED (what this `start` itself started, for its
# caller to stop). Servers of your own: set INFERA_TEST_POSTGRES / INFERA_TEST_RABBITMQ; `start` checks that they
# answer and starts nothing. Ports: INFERA_TEST_PG_PORT (else 55432 or the next free one), INFERA_TEST_RABBITMQ_PORT
# (else 5672 or the next free one). Everything lives in ${TMPDIR:-/tmp}/infera-test-services/<checkout>/, which
# `stop` removes. Progress goes to stderr; only the `export` lines go to stdout.
# shellcheck disable=SC1091 # the state files sourced here are written by this script
set -Eeuo pipefail

say() { echo "test-services: $*" >&2; }
# Exit status 3 means "already explained"; the ERR trap explains everything else once, then exits with 3 too, so a
# failure inside $(...) is not reported again by its caller.
die() { say "$*"; exit 3; }
# shellcheck disable=SC2154 # rc is assigned inside the trap
trap 'rc=$?; ((rc == 3)) || say "failed (exit $rc) at line $LINENO: $BASH_COMMAND"; exit 3' ERR

root=$(cd "$(dirname "$0")/.." && pwd)
base=${TMPDIR:-/tmp}/infera-test-services
# One folder per checkout, so test runs in two clones on one machine neither share nor stop each other's servers.
dir=$base/$(printf %s "$root" | md5sum | cut -c1-10)
pg_dir=$dir/postgres
mq_dir=$dir/rabbitmq
# Debian's /usr/sbin/rabbitmq-* wrappers switch to user rabbitmq and its folders under /var; these scripts run the
# broker and its tools as the caller, with everything in $mq_dir.
mq_bin=/usr/lib/rabbitmq/bin
# Bounds every wait on a server: both start in a few seconds on a 2-core machine.
start_timeout_s=60

# shellcheck disable=SC2016 # the inner bash expands $0 and $1
answers() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null; }

first_free_port() {
  local p
  for ((p = $1; p < $1 + 100; p++)); do
    answers 127.0.0.1 "$p" || { echo "$p"; return; }
  done
  die "no free port on 127.0.0.1 in $1-$(($1 + 99)); stop what listens there"
}

# pick_port VARIABLE DEFAULT: the port VARIABLE names (it must be free), else DEFAULT or the next free one.
pick_port() {
  local name=$1 port=${!1:-}
  [[ -z $port ]] && { first_free_port "$2"; return; }
  [[ $port =~ ^[0-9]+$ ]] || die "$name=$port is not a port number"
  ! answers 127.0.0.1 "$port" || die "$name=$port is already in use on 127.0.0.1; choose a free port or unset $name"
  echo "$port"
}

# alive PID: the process exists and is not a zombie.
alive() { [[ $1 =~ ^[0-9]+$ && -e /proc/$1 ]] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
now_us() { echo "${EPOCHREALTIME//[.,]/}"; }
elapsed() { local us=$(($(now_us) - $1)); printf '%d.%d s' $((us / 1000000)) $((us / 100000 % 10)); }

# --- packages ---------------------------------------------------------------------------------------------------

pg_bin() {
  local d
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
    [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres && -x $d/psql ]] && { echo "$d"; return; }
  done
  return 1
}

# Installs Debian packages without letting their maintainer scripts start system-wide services (no systemd here, and
# a broker on 5672 or a cluster on 5432 that nobody stops is exactly what this script avoids).
apt_install() {
  ((EUID == 0)) || die "the Debian packages $* are missing; install them with: sudo apt-get install -y $*"
  command -v apt-get >/dev/null || die "the packages $* are missing and there is no apt-get here; install them by hand"
  local log=$dir/apt.log t0=${EPOCHREALTIME//[.,]/}
  say "installing $* with apt-get ..."
  (
    policy=/usr/sbin/policy-rc.d
    if [[ ! -e $policy ]]; then
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
      trap 'rm -f "$policy"' EXIT
    fi
    install() {
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o DPkg::Lock::Timeout=300 "$@" >>"$log" 2>&1 </dev/null
    }
    # The package lists may be missing or stale on a fresh machine: update only when the plain install fails.
    install "$@" || { apt-get update -q -o DPkg::Lock::Timeout=300 >>"$log" 2>&1 </dev/null && install "$@"; }
  ) || { tail -n 15 "$log" >&2; die "apt-get install $* failed (log above); run it by hand to see why"; }
  rm -f "$log"
  say "installed $* ($(elapsed "$t0"))"
}

# --- PostgreSQL -------------------------------------------------------------------------------------------------

# PostgreSQL refuses to run as root: as root its commands run as user postgres, otherwise as the caller.
as_pg() {
  if ((EUID == 0)); then (cd "$pg_dir" && runuser -u postgres -- "$@"); else "$@"; fi
}

# The postmaster's pid while it runs. A postmaster killed by hand can stay a zombie for a while here (PID 1 reaps
# lazily on these machines), and pg_ctl would wait for it to stop.
pg_pid() {
  local pid
  pid=$(head -1 "$pg_dir/data/postmaster.pid" 2>/dev/null) && alive "$pid" && echo "$pid"
}

start_postgres() {
  local bin port t0=${EPOCHREALTIME//[.,]/}
  bin=$(pg_bin) || die "PostgreSQL's binaries are missing under /usr/lib/postgresql/*/bin; apt-get install -y postgresql"
  port=$(pick_port INFERA_TEST_PG_PORT 55432)
  rm -rf "$pg_dir" && mkdir -p "$pg_dir"
  ((EUID != 0)) || chown postgres: "$pg_dir"
  as_pg test -w "$pg_dir" ||
    die "user postgres cannot write to $pg_dir; set TMPDIR to a folder every user can reach (e.g. TMPDIR=/tmp)"
  echo "PG_PORT=$port" >"$pg_dir/state"
  as_pg "$bin/initdb" -D "$pg_dir/data" -U postgres -E UTF8 --locale=C --auth-local=trust --auth-host=scram-sha-256 \
    --no-sync --no-instructions >"$pg_dir/initdb.log" 2>&1 ||
    { tail -n 15 "$pg_dir/initdb.log" >&2; die "initdb failed (log above, in $pg_dir/initdb.log)"; }
  # Durability off: a test database is thrown away, and fsync costs seconds per test run.
  cat >>"$pg_dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pg_dir'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  as_pg "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t "$start_timeout_s" -s start >&2 ||
    { tail -n 15 "$pg_dir/postgres.log" >&2; die "PostgreSQL did not start on 127.0.0.1:$port (log above)"; }
  as_pg "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$pg_dir" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE infera LOGIN SUPERUSER PASSWORD 'infera'" -c "CREATE DATABASE infera OWNER infera" >&2 ||
    die "could not create role and database infera in the PostgreSQL on 127.0.0.1:$port"
  say "PostgreSQL $("$bin/postgres" -V | grep -oE '[0-9]+(\.[0-9]+)?' | head -1) ready on 127.0.0.1:$port ($(elapsed "$t0"))"
}

stop_postgres() {
  [[ -f $pg_dir/state ]] || return 0
  local pid t0=${EPOCHREALTIME//[.,]/}
  if pid=$(pg_pid); then
    as_pg "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -m fast -w -t 30 -s stop >&2 || ! alive "$pid" ||
      die "could not stop the PostgreSQL in $pg_dir/data; stop it with: kill $pid"
    say "PostgreSQL stopped ($(elapsed "$t0"))"
  fi
  rm -rf "$pg_dir"
}

postgres_connection() {
  local PG_PORT
  source "$pg_dir/state"
  echo "Host=127.0.0.1;Port=$PG_PORT;Username=infera;Password=infera;Database=infera"
}

# --- RabbitMQ ---------------------------------------------------------------------------------------------------

# The node's whole environment: its own name, ports, epmd, Erlang cookie (HOME) and folders, every listener (AMQP,
# Erlang distribution, epmd) on 127.0.0.1, and no configuration or plugins from /etc/rabbitmq (Debian's
# enabled_plugins could add a management listener on 15672).
mq_env() {
  local MQ_PORT MQ_DIST_PORT MQ_EPMD_PORT
  source "$mq_dir/state"
  export HOME=$mq_dir/home ERL_EPMD_PORT=$MQ_EPMD_PORT \
    RABBITMQ_NODENAME="infera-test-${dir##*/}@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT=$MQ_PORT RABBITMQ_DIST_PORT=$MQ_DIST_PORT \
    RABBITMQ_MNESIA_BASE=$mq_dir/mnesia RABBITMQ_LOG_BASE=$mq_dir/log \
    RABBITMQ_CONFIG_FILE=$mq_dir/rabbitmq RABBITMQ_ADVANCED_CONFIG_FILE=$mq_dir/advanced.config \
    RABBITMQ_CONF_ENV_FILE=$mq_dir/rabbitmq-env.conf RABBITMQ_ENABLED_PLUGINS_FILE=$mq_dir/enabled_plugins \
    ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
}

mq_cli() { (mq_env && timeout 30 "$mq_bin/$1" "${@:2}"); }

# The broker's pid, only while it is the process this script started (its environment names $mq_dir).
mq_pid() {
  local pid environment
  pid=$(cat "$mq_dir/pid" 2>/dev/null) && alive "$pid" || return 1
  environment=$(tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ") || return 1
  grep -qxF "RABBITMQ_MNESIA_BASE=$mq_dir/mnesia" <<<"$environment" && echo "$pid"
}

mq_log_tail() { tail -n 15 "$mq_dir"/log/*.log "$mq_dir/stdout.log" 2>/dev/null >&2 || true; }

start_rabbitmq() {
  local port dist epmd pid t0=${EPOCHREALTIME//[.,]/}
  [[ -x $mq_bin/rabbitmq-server ]] || die "RabbitMQ is missing ($mq_bin); apt-get install -y rabbitmq-server"
  port=$(pick_port INFERA_TEST_RABBITMQ_PORT 5672)
  dist=$(first_free_port $((port + 20000)))
  epmd=$(first_free_port 4369)
  rm -rf "$mq_dir" && mkdir -p "$mq_dir/home"
  printf 'MQ_PORT=%s\nMQ_DIST_PORT=%s\nMQ_EPMD_PORT=%s\n' "$port" "$dist" "$epmd" >"$mq_dir/state"
  echo '[].' >"$mq_dir/enabled_plugins"
  # The broker runs in a session of its own, so it outlives this script and a Ctrl-C meant for the tests does not
  # reach it; $! is that session's leader (the start script, parent of beam.smp). Its output goes to a file, never
  # to the caller's $(...).
  (mq_env && cd "$mq_dir" && exec setsid "$mq_bin/rabbitmq-server" >"$mq_dir/stdout.log" 2>&1 </dev/null) &
  echo $! >"$mq_dir/pid"
  # `ping` answers as soon as the Erlang node is up; the AMQP port opens only when the broker has booted.
  while ! { answers 127.0.0.1 "$port" && mq_cli rabbitmq-diagnostics -q ping >/dev/null 2>&1; }; do
    # (Not mq_pid: the child's environment shows the variables only once it has exec'd.)
    pid=$(cat "$mq_dir/pid")
    alive "$pid" ||
      { mq_log_tail; die "RabbitMQ exited while starting on 127.0.0.1:$port (log above, in $mq_dir)"; }
    if (($(now_us) - t0 > start_timeout_s * 1000000)); then
      mq_log_tail
      die "RabbitMQ (pid $pid) did not answer on 127.0.0.1:$port within $start_timeout_s s (log above, in $mq_dir)"
    fi
    sleep 0.5
  done
  say "RabbitMQ ready on 127.0.0.1:$port ($(elapsed "$t0"))"
}

stop_rabbitmq() {
  [[ -f $mq_dir/state ]] || return 0
  local pid i t0=${EPOCHREALTIME//[.,]/}
  if pid=$(mq_pid); then
    mq_cli rabbitmqctl -q stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do alive "$pid" || break; sleep 0.5; done
    if alive "$pid"; then
      say "RabbitMQ (pid $pid) did not stop within 30 s; killing its process group"
      kill -9 -- "-$pid" 2>/dev/null || true
    fi
    say "RabbitMQ stopped ($(elapsed "$t0"))"
  fi
  # The node started epmd on a port no one else used; -kill refuses while any node is still registered with it.
  (mq_env && epmd -kill >/dev/null 2>&1) || true
  rm -rf "$mq_dir"
}

rabbitmq_connection() {
  local MQ_PORT
  source "$mq_dir/state"
  echo "amqp://guest:guest@127.0.0.1:$MQ_PORT/"
}

# --- commands ---------------------------------------------------------------------------------------------------

# host_port SERVICE VALUE: "host port" of an Npgsql connection string (Host/Server, Port) or of an amqp:// URI.
host_port() {
  local host='' port='' part key parts
  if [[ $1 == postgres ]]; then
    IFS=';' read -ra parts <<<"$2"
    for part in "${parts[@]}"; do
      key=$(tr -d ' ' <<<"${part%%=*}" | tr '[:upper:]' '[:lower:]')
      case $key in host | server) host=${part#*=} host=${host%%,*} ;; port) port=${part#*=} ;; esac
    done
    echo "${host:-localhost} ${port:-5432}"
  else
    local rest=${2#*://}
    rest=${rest##*@} rest=${rest%%/*}
    if [[ $rest == *:* ]]; then port=${rest##*:} host=${rest%:*}; else host=$rest; fi
    echo "${host:-localhost} ${port:-$([[ $2 == amqps:* ]] && echo 5671 || echo 5672)}"
  fi
}

# The service's connection: the caller's variable if set, else the server this script started, if any.
connection() {
  local service=$1 var=$2 folder=$3
  if [[ -n ${!var:-} ]]; then echo "${!var}"
  elif [[ -f $folder/state ]]; then "${service}_connection"
  else return 1
  fi
}

# ensure SERVICE VARIABLE FOLDER LABEL: reuses a server that answers, else adds SERVICE to $to_start.
ensure() {
  local service=$1 var=$2 folder=$3 label=$4 host port
  if [[ -n ${!var:-} ]]; then
    read -r host port <<<"$(host_port "$service" "${!var}")"
    answers "$host" "$port" ||
      die "$var is set but nothing answers at $host:$port; start that server, or unset $var to let this script start $label"
    say "$label: reusing $var ($host:$port answers)"
    return
  fi
  if [[ -f $folder/state ]]; then
    read -r host port <<<"$(host_port "$service" "$("${service}_connection")")"
    if answers "$host" "$port"; then
      say "$label: already running on $host:$port (started earlier by this script); reusing it"
      return
    fi
    say "$label: the one started earlier no longer answers on $host:$port; starting a new one"
    "stop_$service"
  fi
  to_start+=("$service")
}

print_exports() {
  local pg mq
  pg=$(connection postgres INFERA_TEST_POSTGRES "$pg_dir") || die "no PostgreSQL: run scripts/test-services.sh start"
  mq=$(connection rabbitmq INFERA_TEST_RABBITMQ "$mq_dir") || die "no RabbitMQ: run scripts/test-services.sh start"
  echo "export INFERA_TEST_POSTGRES=$(quote "$pg")"
  echo "export INFERA_TEST_RABBITMQ=$(quote "$mq")"
}

# Globals, so that the EXIT trap below still sees them when a nested function exits.
to_start=()
started=()

cmd_start() {
  local t0 missing=() s
  t0=${EPOCHREALTIME//[.,]/}
  ensure postgres INFERA_TEST_POSTGRES "$pg_dir" PostgreSQL
  ensure rabbitmq INFERA_TEST_RABBITMQ "$mq_dir" RabbitMQ
  if ((${#to_start[@]})); then
    # A sticky shared parent (like /tmp itself), so any user's checkout can add its folder.
    mkdir -p "$dir" && chmod 755 "$dir"
    if [[ -O $base ]]; then chmod 1777 "$base"; fi
  fi
  for s in "${to_start[@]}"; do
    case $s in
      postgres) pg_bin >/dev/null || missing+=(postgresql) ;;
      rabbitmq) [[ -x $mq_bin/rabbitmq-server ]] || missing+=(rabbitmq-server) ;;
    esac
  done
  # The metrics tests check /metrics with promtool.
  command -v promtool >/dev/null || missing+=(prometheus)
  ((${#missing[@]} == 0)) || { mkdir -p "$dir" && apt_install "${missing[@]}"; }
  # If one fails to start, stop what this command started before exiting, so nothing is left behind.
  trap 'rc=$?; ((rc == 0)) || { for s in "${started[@]}"; do "stop_$s" || true; done; remove_unused_folder; }' EXIT
  for s in "${to_start[@]}"; do
    started+=("$s")
    "start_$s"
  done
  trap - EXIT
  ((${#started[@]} == 0)) || say "started ${started[*]} in $(elapsed "$t0"); stop with: scripts/test-services.sh stop"
  print_exports
  echo "export INFERA_TEST_SERVICES_STARTED=$(quote "${started[*]}")"
}

cmd_stop() {
  local services=("$@") s
  ((${#services[@]})) || services=(postgres rabbitmq)
  for s in "${services[@]}"; do
    case $s in postgres | rabbitmq) "stop_$s" ;; *) die "unknown service '$s' (expected postgres or rabbitmq)" ;; esac
  done
  remove_unused_folder
}

remove_unused_folder() {
  if [[ -d $dir && ! -f $pg_dir/state && ! -f $mq_dir/state ]]; then
    rm -rf "$dir"
    rmdir "$base" 2>/dev/null || true
  fi
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop "${@:2}" ;;
  env) print_exports ;;
  *) die "usage: scripts/test-services.sh start | env | stop [postgres] [rabbitmq]" ;;
esac
