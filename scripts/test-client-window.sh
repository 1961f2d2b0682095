#!/usr/bin/env bash
# CI check of the desktop client's real AWT window. Starts both servers from their jars, runs the
# client on a virtual display (xvfb-run) for a few frames of the sample photo with --screenshot,
# and checks that both protocols answered, that the window painted, and that the PNG has the
# window's size and is not blank. Needs the jars (make build or make test) and xvfb.
#   scripts/test-client-window.sh [OUT.png]        (default client/target/ci-screenshot.png)
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-client/target/ci-screenshot.png}
rest_port=${CI_REST_PORT:-18001}
grpc_port=${CI_GRPC_PORT:-15051}
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

command -v xvfb-run >/dev/null 2>&1 || { echo "client-window: xvfb-run not found (apt-get install xvfb)" >&2; exit 127; }
for jar in server-rest/target/server-rest.jar server-grpc/target/server-grpc.jar client/target/client.jar; do
  [ -f "$jar" ] || { echo "client-window: $jar is missing: run make build first" >&2; exit 1; }
done

# The servers run for real, so the picture shows real answers; the client would also cope with
# them being down (it shows the error and retries), but then this check would prove less.
java -jar server-rest/target/server-rest.jar --bind 127.0.0.1 --port "$rest_port" --access-log false \
  --storage "$work/storage-rest" >"$work/rest.log" 2>&1 &
pids+=($!)
java -jar server-grpc/target/server-grpc.jar --bind 127.0.0.1 --port "$grpc_port" --access-log false \
  --metrics-port 0 --storage "$work/storage-grpc" >"$work/grpc.log" 2>&1 &
pids+=($!)

ready() {
  java -jar server-rest/target/server-rest.jar --probe --port "$rest_port" >/dev/null 2>&1 &&
    java -jar server-grpc/target/server-grpc.jar --probe --port "$grpc_port" >/dev/null 2>&1
}
for _ in $(seq 1 30); do
  ready && break
  sleep 1
done
ready || { echo "client-window: the servers did not become healthy in 30 s" >&2; cat "$work"/*.log >&2; exit 1; }

mkdir -p "$(dirname "$out")"
xvfb-run -a -s "-screen 0 1920x1080x24" java -jar client/target/client.jar --source sample \
  --rest "http://127.0.0.1:$rest_port/predict" --grpc "127.0.0.1:$grpc_port" \
  --screenshot "$out" --frames 60 2>&1 | tee "$work/client.log"

grep -q "the window was painted [1-9]" "$work/client.log" || { echo "client-window: the window never painted" >&2; exit 1; }
grep -q "^REST: frame .*, OK, 1 face" "$work/client.log" || { echo "client-window: no REST answer" >&2; exit 1; }
grep -q "^gRPC: frame .*, OK, 1 face" "$work/client.log" || { echo "client-window: no gRPC answer" >&2; exit 1; }
# Each protocol warms up before the first measured frame; its first call is shown apart from the statistics.
grep -q "^REST: .*, first call [0-9]" "$work/client.log" || { echo "client-window: no REST first call" >&2; exit 1; }
grep -q "^gRPC: .*, first call [0-9]" "$work/client.log" || { echo "client-window: no gRPC first call" >&2; exit 1; }
java scripts/CheckScreenshot.java "$out" 1500 1046
