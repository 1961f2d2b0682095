#!/usr/bin/env bash
# make run-servers / run-rest / run-grpc: the servers as plain processes, no Docker.
#   scripts/run-servers.sh [rest] [grpc]        (no argument: both)
# Each server's log lines are prefixed [rest] / [grpc]. The script waits until every server
# answers its health probe (java -jar <jar> --probe), says where they listen, and on Ctrl-C or
# SIGTERM stops them with SIGTERM (each drains its in-flight requests) and waits for them, so
# no JVM outlives it. Saved frames go to storage/rest/ and storage/grpc/.
# Ports: REST_PORT (default 8001), GRPC_PORT (default 50051), and the gRPC server's metrics port,
# METRICS_PORT (default 9464; 0: no metrics; REST's are on its own port). Every other server setting is
# read from the environment as usual (WORKERS, QUEUE_SIZE, BIND_ADDRESS, ...; see --help), but
# PORT and STORAGE_DIR: one value cannot serve two servers, so the script sets both per server.
# TLS=1: both serve TLS with certs/server.pem and certs/server-key.pem, made first by
# scripts/make-certs.sh if missing (TLS_CERT and TLS_KEY name others; TLS_CA, the CA the health
# probes trust, defaults to certs/ca.pem).
set -o pipefail
cd "$(dirname "$0")/.."

scheme=http
case ${TLS:-} in 1|true|yes|on) tls=1 ;; *) tls= ;; esac
[ -n "${TLS_CERT:-}" ] && tls=1   # the servers read TLS_CERT themselves: probe them with TLS too
if [ -n "$tls" ]; then
  if [ -z "${TLS_CERT:-}" ]; then
    scripts/make-certs.sh certs >/dev/null || exit 1
    export TLS_CERT=certs/server.pem TLS_KEY=certs/server-key.pem TLS_CA=${TLS_CA:-certs/ca.pem}
  fi
  export TLS=1   # for the health probes below (--probe reads TLS and TLS_CA)
  scheme=https
fi

STARTUP_LIMIT=${STARTUP_LIMIT:-90}   # seconds for every server to become healthy
STOP_LIMIT=30                        # seconds for a server to drain and exit after SIGTERM

names=() jars=() ports=() pids=() storages=() copies=()
sleeper=

# A background job of a script ignores SIGINT, so Ctrl-C reaches the JVMs only through stop():
# one path, the same for Ctrl-C and SIGTERM. The prefixer ignores both signals so that it
# still prints the servers' shutdown lines.
prefix() {
  trap '' INT TERM HUP
  while IFS= read -r line; do
    printf '[%s] %s\n' "$1" "$line"
  done
}

# storage/rest and storage/grpc on the default ports; storage/rest-8101 and so on otherwise, so
# two instances never share a folder (the server refuses a folder another server holds).
storage_of() {
  local name=$1 port=$2 default=$3
  [ "$port" = "$default" ] && echo "storage/$name" || echo "storage/$name-$port"
}

# Each server runs from a copy of its jars, so a build while it runs (make client after a code
# change) cannot rewrite a jar under a running JVM: the project's own jars are copied (Maven
# rewrites them in place), the libraries hard-linked where the file system allows (a new
# version of a library gets a new file name, so these are never rewritten).
copy_of() {
  local jar=$1 dir lib
  dir=$(mktemp -d "${TMPDIR:-/tmp}/inferbench-run.XXXXXX") || return 1
  mkdir "$dir/lib" && cp "$jar" "$dir/" || return 1
  for lib in "$(dirname "$jar")"/lib/*.jar; do
    case $(basename "$lib") in
      common-*|metrics-*|proto-*|samples-*) cp "$lib" "$dir/lib/" ;;
      *) ln "$lib" "$dir/lib/" 2>/dev/null || cp "$lib" "$dir/lib/" ;;
    esac || return 1
  done
  echo "$dir/$(basename "$jar")"
}

start() {
  local name=$1 jar=$2 port=$3 default=$4 variable=$5
  if [ ! -f "$jar" ]; then
    echo "run-servers: $jar is missing: run 'make build' (or 'make run-$name', which builds it)" >&2
    stop
    exit 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "run-servers: port $port is in use (another 'make run-servers'?): stop that, or choose another" \
      "port, e.g. make run-servers $variable=$((port + 100))" >&2
    stop
    exit 1
  fi
  if ! jar=$(copy_of "$jar"); then
    echo "run-servers: could not copy $2 and its lib/ to a folder under ${TMPDIR:-/tmp} to run from" >&2
    stop
    exit 1
  fi
  copies+=("$(dirname "$jar")")
  java -jar "$jar" --port "$port" --storage "$(storage_of "$name" "$port" "$default")" > >(prefix "$name") 2>&1 &
  names+=("$name") jars+=("$jar") ports+=("$port") pids+=($!) storages+=("$(storage_of "$name" "$port" "$default")")
}

alive() {
  kill -0 "$1" 2>/dev/null
}

nap() {
  # In the background, so a trap runs at once instead of after the sleep.
  sleep "$1" &
  sleeper=$!
  wait "$sleeper"
}

stop() {
  trap '' INT TERM HUP
  local i deadline status=0
  for i in "${!pids[@]}"; do
    kill -TERM "${pids[i]}" 2>/dev/null
  done
  for i in "${!pids[@]}"; do
    deadline=$((SECONDS + STOP_LIMIT))
    while alive "${pids[i]}" && [ "$SECONDS" -lt "$deadline" ]; do
      sleep 0.2
    done
    if alive "${pids[i]}"; then
      echo "run-servers: the ${names[i]} server did not stop within ${STOP_LIMIT}s; killing it" >&2
      kill -KILL "${pids[i]}" 2>/dev/null
    fi
    wait "${pids[i]}" 2>/dev/null
    case $? in 0|143) ;; *) status=1 ;; esac   # 143: the JVM's usual exit after SIGTERM
  done
  [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
  wait 2>/dev/null   # the prefixers, so their last lines come before the shell prompt
  [ ${#copies[@]} -gt 0 ] && rm -rf "${copies[@]}"
  return $status
}

on_signal() {
  echo "run-servers: stopping ${names[*]}" >&2
  stop && echo "run-servers: stopped cleanly" >&2
  exit $?
}
trap on_signal INT TERM HUP

[ $# -eq 0 ] && set -- rest grpc
[ -n "${PORT:-}" ] && echo "run-servers: PORT=$PORT is not used here: the ports are REST_PORT and GRPC_PORT" >&2
[ -n "${STORAGE_DIR:-}" ] && echo "run-servers: STORAGE_DIR=$STORAGE_DIR is not used here: each server saves to its own folder, below" >&2
for name in "$@"; do
  case $name in
    rest) start rest server-rest/target/server-rest.jar "${REST_PORT:-8001}" 8001 REST_PORT ;;
    grpc)
      metrics_port=${METRICS_PORT:-9464}
      if [ "$metrics_port" != 0 ] && (exec 3<>"/dev/tcp/127.0.0.1/$metrics_port") 2>/dev/null; then
        echo "run-servers: the gRPC server's metrics port $metrics_port is in use (another 'make run-servers'?):" \
          "choose another, e.g. make run-servers METRICS_PORT=$((metrics_port + 100)), or METRICS_PORT=0 for none" >&2
        stop
        exit 1
      fi
      start grpc server-grpc/target/server-grpc.jar "${GRPC_PORT:-50051}" 50051 GRPC_PORT ;;
    *) echo "usage: scripts/run-servers.sh [rest] [grpc]" >&2; stop; exit 2 ;;
  esac
done

probe_host=${BIND_ADDRESS:-127.0.0.1}
case $probe_host in 0.0.0.0|::|'[::]') probe_host=127.0.0.1 ;; esac
deadline=$((SECONDS + STARTUP_LIMIT))
for i in "${!names[@]}"; do
  until answer=$(java -jar "${jars[i]}" --probe --host "$probe_host" --port "${ports[i]}" 2>&1); do
    if ! alive "${pids[i]}"; then
      echo "run-servers: the ${names[i]} server exited before it was healthy (its log is above)" >&2
      stop
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "run-servers: the ${names[i]} server is not healthy after ${STARTUP_LIMIT}s; last probe: $answer" >&2
      stop
      exit 1
    fi
    nap 1
  done
  if ! alive "${pids[i]}"; then # the answer came from someone else on that port
    echo "run-servers: the ${names[i]} server exited before it was healthy (its log is above)" >&2
    stop
    exit 1
  fi
done

echo "run-servers: healthy and listening:"
for i in "${!names[@]}"; do
  case ${names[i]} in
    rest) echo "  REST  $scheme://localhost:${ports[i]}  POST /predict, GET /healthz$([ "${METRICS_PORT:-}" != 0 ] && echo ', GET /metrics')   saves to ${storages[i]}/" ;;
    grpc) echo "  gRPC  localhost:${ports[i]}${tls:+ (TLS)}  img.Inference/Predict, PredictStream   saves to ${storages[i]}/"
          [ "$metrics_port" != 0 ] && echo "        metrics: http://localhost:$metrics_port/metrics" ;;
  esac
done
[ -n "$tls" ] && echo "run-servers: TLS with ${TLS_CERT}; clients trust ${TLS_CA:-the CA that signed it}: make client TLS=1"
echo "run-servers: Ctrl-C stops them."

while :; do
  for i in "${!pids[@]}"; do
    if ! alive "${pids[i]}"; then
      wait "${pids[i]}"
      echo "run-servers: the ${names[i]} server exited (status $?); stopping the rest" >&2
      stop
      exit 1
    fi
  done
  nap 1
done
