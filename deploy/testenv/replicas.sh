#!/usr/bin/env bash
# replicas.sh up|down|status: several FirecREST server replicas as one, on loopback, for the demo and the tests.
#   up     starts our own redis-server (127.0.0.1:$REDIS_PORT, config and data in $REPLICAS_DIR/redis), $REPLICAS
#          servers (127.0.0.1:$REPLICA_BASE_PORT+1 … +N, each with Server__Redis pointing at that Redis) and HAProxy
#          (127.0.0.1:$FIRECREST_PORT, backends health-checked on /status/liveness/, retries for GET/HEAD/OPTIONS and
#          for requests with an Idempotency-Key); waits until each one answers. Needs YAML_CONFIG_FILE and SERVER_DLL
#          (the built Firecrest.Server.dll, or the natively compiled Firecrest.Server).
#   down   stops what `up` started, by the PIDs in $REPLICAS_DIR (nothing else).
#   status prints each process up/down; exit 0 when all are up.
# Environment (defaults): REPLICAS (2), FIRECREST_PORT (8000), REDIS_PORT (6380), REPLICA_BASE_PORT (8100),
# REPLICA_PORTS (the replicas' ports, space-separated, instead of REPLICA_BASE_PORT + n), REPLICAS_DIR
# (<repo>/.testenv/replicas). Other Server__* variables reach the replicas (e.g. Server__RateLimitPerSecond). Redis and HAProxy come from Debian (install.sh installs them).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
REPLICAS=${REPLICAS:-2}
FIRECREST_PORT=${FIRECREST_PORT:-8000}
REDIS_PORT=${REDIS_PORT:-6380}
REPLICA_BASE_PORT=${REPLICA_BASE_PORT:-8100}
D=${REPLICAS_DIR:-$REPO/.testenv/replicas}
read -r -a PORTS <<<"${REPLICA_PORTS:-}"
# port_of N: the port of replica N (1-based).
port_of() { if [ ${#PORTS[@]} -ge "$1" ]; then echo "${PORTS[$(($1 - 1))]}"; else echo $((REPLICA_BASE_PORT + $1)); fi; }

log() { echo "replicas: $*"; }
# A replica's process name: dotnet running the built DLL, or the native server (names are cut to 15 characters).
REPLICA_COMM='dotnet|Firecrest\.Serve'

die() { echo "replicas: ERROR: $*" >&2; exit 1; }

# alive PID: exists and is not a zombie.
alive() { local st; st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || return 1; [ -n "$st" ] && [ "${st:0:1}" != Z ]; }
# pid_of NAME COMM: the pid in $D/NAME.pid when it is alive and its process name matches the pattern COMM (not a recycled
# pid); else nothing. The process name, not the executable: Debian's redis-server is a link to redis-check-rdb.
pid_of() {
  local f=$D/$1.pid p
  [ -s "$f" ] || return 1
  p=$(cat "$f"); [[ $p =~ ^[0-9]+$ ]] || return 1
  alive "$p" || return 1
  [[ $(cat "/proc/$p/comm" 2>/dev/null) =~ ^($2)$ ]] || return 1
  echo "$p"
}
# stop NAME EXE: TERM, then KILL after 10 s, the process of NAME.pid.
stop() {
  local p i
  if p=$(pid_of "$1" "$2"); then
    kill "$p" 2>/dev/null || true
    for i in $(seq 1 100); do alive "$p" || break; sleep 0.1; done
    alive "$p" && kill -9 "$p" 2>/dev/null || true
    log "stopped $1 (pid $p)"
  fi
  rm -f "$D/$1.pid"
}
# wait_for WHAT SECONDS CMD...: retries CMD until it succeeds.
wait_for() {
  local what=$1 secs=$2 i; shift 2
  for i in $(seq 1 $((secs * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "$what did not answer within $secs s (logs in $D)"
}
live() { [ "$(curl -s --noproxy '*' --max-time 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/status/liveness/")" = 200 ]; }

start_redis() {
  mkdir -p "$D/redis"
  pid_of redis redis-server >/dev/null && { log "redis already running"; return; }
  cat >"$D/redis/redis.conf" <<CONF
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize no
dir $D/redis
save ""
appendonly no
loglevel warning
logfile $D/redis/redis.log
CONF
  redis-server "$D/redis/redis.conf" </dev/null >/dev/null 2>&1 &
  echo $! >"$D/redis.pid"
  wait_for "redis on 127.0.0.1:$REDIS_PORT" 20 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping
  log "redis on 127.0.0.1:$REDIS_PORT (pid $(cat "$D/redis.pid"))"
}

start_replica() {
  local n=$1 port; port=$(port_of "$1")
  pid_of "replica-$n" "$REPLICA_COMM" >/dev/null && { log "replica $n already running"; return; }
  : >"$D/replica-$n.log"; chmod 600 "$D/replica-$n.log"
  local run=(dotnet "$SERVER_DLL")
  [[ "$SERVER_DLL" == *.dll ]] || run=("$SERVER_DLL")
  ASPNETCORE_URLS="http://127.0.0.1:$port" ASPNETCORE_ENVIRONMENT=Production Server__Redis="127.0.0.1:$REDIS_PORT" \
    YAML_CONFIG_FILE="$YAML_CONFIG_FILE" setsid "${run[@]}" </dev/null >>"$D/replica-$n.log" 2>&1 &
  echo $! >"$D/replica-$n.pid"
}

start_haproxy() {
  pid_of haproxy haproxy >/dev/null && stop haproxy haproxy
  {
    cat <<CONF
global
    maxconn 4096

defaults
    mode http
    log global
    timeout connect 2s
    timeout client 600s
    timeout server 600s
    timeout queue 30s
    timeout http-request 30s
    # Generous: on a loaded machine a slow liveness answer must not take a live replica out.
    timeout check 10s
    # A retry goes to another replica; a request that may have changed something is retried only with an Idempotency-Key.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response junk-response response-timeout

frontend firecrest
    bind 127.0.0.1:$FIRECREST_PORT
    default_backend replicas

backend replicas
    balance roundrobin
    option httpchk GET /status/liveness/
    http-check expect status 200
    default-server inter 1s fall 3 rise 1
    http-request disable-l7-retry unless METH_GET or METH_OPTIONS or { req.hdr(idempotency-key) -m found }
CONF
    for n in $(seq 1 "$REPLICAS"); do echo "    server replica$n 127.0.0.1:$(port_of "$n") check"; done
  } >"$D/haproxy.cfg"
  haproxy -c -q -f "$D/haproxy.cfg" || die "haproxy.cfg is invalid"
  haproxy -D -f "$D/haproxy.cfg" -p "$D/haproxy.pid" >"$D/haproxy.log" 2>&1
  wait_for "haproxy on 127.0.0.1:$FIRECREST_PORT" 30 live "$FIRECREST_PORT"
  log "haproxy on 127.0.0.1:$FIRECREST_PORT (pid $(cat "$D/haproxy.pid")) in front of $REPLICAS replicas"
}

case ${1:-} in
  up)
    [ -n "${YAML_CONFIG_FILE:-}" ] || die "set YAML_CONFIG_FILE (the server configuration)"
    [ -f "${SERVER_DLL:-}" ] || die "set SERVER_DLL to the built Firecrest.Server.dll or the native Firecrest.Server"
    command -v redis-server >/dev/null && command -v haproxy >/dev/null || die "redis-server or haproxy missing: run deploy/testenv/install.sh"
    mkdir -p "$D"; chmod 700 "$D"
    start_redis
    for n in $(seq 1 "$REPLICAS"); do start_replica "$n"; done
    for n in $(seq 1 "$REPLICAS"); do
      wait_for "replica $n on 127.0.0.1:$(port_of "$n")" 120 live "$(port_of "$n")"
      log "replica $n on 127.0.0.1:$(port_of "$n") (pid $(cat "$D/replica-$n.pid"))"
    done
    start_haproxy
    ;;
  down)
    stop haproxy haproxy
    for f in "$D"/replica-*.pid; do [ -e "$f" ] || continue; n=$(basename "$f" .pid); stop "$n" "$REPLICA_COMM"; done
    stop redis redis-server
    ;;
  status)
    rc=0
    for f in "$D"/*.pid; do
      [ -e "$f" ] || continue
      n=$(basename "$f" .pid)
      case $n in redis) exe=redis-server;; haproxy) exe=haproxy;; *) exe=$REPLICA_COMM;; esac
      if p=$(pid_of "$n" "$exe"); then echo "$n up (pid $p)"; else echo "$n down"; rc=1; fi
    done
    exit $rc
    ;;
  *) die "usage: replicas.sh up|down|status" ;;
esac
