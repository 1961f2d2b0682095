#!/usr/bin/env bash
# Metrics for real, on loopback: both servers (the built jars), a real Prometheus (Debian's
# package, run here in the foreground with a configuration of its own in a temp folder, not as the
# package's systemd service) scraping them every second with the shipped configuration and
# recording rules (deploy/prometheus/, only the targets and intervals rewritten), and the
# benchmark as the traffic. It shows that
#  1. promtool passes both servers' GET /metrics (check metrics), and the shipped configuration
#     and rules (check config, check rules);
#  2. after the benchmark's requests to each server, inferbench_requests_total in Prometheus's
#     API is exactly what each server was sent, every one "ok";
#  3. the p50, p90 and p99 Prometheus computes from the scraped buckets agree with the
#     benchmark's own end-to-end percentiles within a bucket (scripts/MetricsCheck.java);
#  4. the recording rules give every protocol a request rate, p50/p95/p99 and queue share.
# Needs the jars (make build), curl and Prometheus (Debian: apt-get install --no-install-recommends
# prometheus; its service is never started here). Loopback ports only: free ones, or the first free
# ones of METRICS_TEST_PORTS=FIRST-LAST; everything it starts is stopped at the end.
#   scripts/test-metrics.sh          REQUESTS=N sets the benchmark's requests per server (default 200)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/testlib.sh

REQUESTS=${REQUESTS:-200}
REST_JAR=server-rest/target/server-rest.jar
GRPC_JAR=server-grpc/target/server-grpc.jar

for tool in prometheus promtool curl; do
  command -v $tool >/dev/null 2>&1 || { echo "metrics: $tool is not installed (Debian: apt-get install --no-install-recommends prometheus curl)" >&2; exit 1; }
done
for jar in "$REST_JAR" "$GRPC_JAR" bench/target/bench.jar client/target/lib; do
  [ -e "$jar" ] || { echo "metrics: $jar is missing: run make build" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/test-metrics.XXXXXX")
rest_pid= grpc_pid= prometheus_pid=
cleanup() {
  [ -n "$prometheus_pid" ] && stop_process "$prometheus_pid" 10 >/dev/null 2>&1
  [ -n "$rest_pid" ] && stop_process "$rest_pid" 30 >/dev/null 2>&1
  [ -n "$grpc_pid" ] && stop_process "$grpc_pid" 30 >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { echo "metrics: $*"; }
die() {
  echo "metrics: FAILED: $*" >&2
  for log in "$work"/*.log; do
    [ -s "$log" ] && { echo "---- ${log#"$work"/} (last 20 lines)" >&2; tail -n 20 "$log" >&2; }
  done
  exit 1
}

# ports N: N free loopback ports, the first free ones of METRICS_TEST_PORTS or any.
ports() {
  local n=$1 p found=0
  if [ -z "${METRICS_TEST_PORTS:-}" ]; then
    for ((found = 0; found < n; found++)); do free_port || return 1; done
    return 0
  fi
  for ((p = ${METRICS_TEST_PORTS%-*}; p <= ${METRICS_TEST_PORTS#*-} && found < n; p++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
    echo "$p"
    found=$((found + 1))
  done
  [ $found -eq "$n" ] || { echo "fewer than $n free ports in $METRICS_TEST_PORTS" >&2; return 1; }
}

all_ports=$(ports 4) || die "no free loopback ports"
read -r rest_port grpc_port metrics_port prometheus_port <<<"$(echo $all_ports)"

# -- 1. the servers, and promtool on their metrics and on the shipped files ---------------------
java -jar "$REST_JAR" --bind 127.0.0.1 --port "$rest_port" --access-log false --storage "$work/rest" \
  >"$work/rest.log" 2>&1 &
rest_pid=$!
java -jar "$GRPC_JAR" --bind 127.0.0.1 --port "$grpc_port" --metrics-port "$metrics_port" --access-log false \
  --storage "$work/grpc" >"$work/grpc.log" 2>&1 &
grpc_pid=$!
wait_healthy "$rest_pid" 120 java -jar "$REST_JAR" --probe --port "$rest_port" || die "the REST server did not become healthy"
wait_healthy "$grpc_pid" 120 java -jar "$GRPC_JAR" --probe --port "$grpc_port" || die "the gRPC server did not become healthy"
rest_metrics=http://127.0.0.1:$rest_port/metrics
grpc_metrics=http://127.0.0.1:$metrics_port/metrics
for url in "$rest_metrics" "$grpc_metrics"; do
  curl -sf "$url" >"$work/scrape.txt" || die "no answer from $url"
  promtool check metrics <"$work/scrape.txt" >"$work/promtool.log" 2>&1 || { cat "$work/promtool.log" >&2; die "promtool check metrics refused $url"; }
done
step "servers healthy: REST :$rest_port (metrics $rest_metrics), gRPC :$grpc_port (metrics $grpc_metrics); promtool check metrics passes both"

# -- Prometheus with the shipped configuration ----------------------------------------------
mkdir -p "$work/prometheus"
cp deploy/prometheus/rules.yml "$work/prometheus/rules.yml"
sed -E -e "s/\"rest:8001\"/\"127.0.0.1:$rest_port\"/" -e "s/\"grpc:9464\"/\"127.0.0.1:$metrics_port\"/" \
  -e 's/^(  (scrape|evaluation)_interval:) 15s$/\1 1s/' \
  deploy/prometheus/prometheus.yml >"$work/prometheus/prometheus.yml"
[ "$(grep -c '"127\.0\.0\.1:' "$work/prometheus/prometheus.yml")" -eq 2 ] && [ "$(grep -c 'interval: 1s$' "$work/prometheus/prometheus.yml")" -eq 2 ] \
  || die "deploy/prometheus/prometheus.yml no longer has the targets and intervals this test rewrites; update both together"
promtool check rules deploy/prometheus/rules.yml >"$work/promtool.log" 2>&1 || { cat "$work/promtool.log" >&2; die "promtool check rules"; }
(cd deploy/prometheus && promtool check config prometheus.yml) >"$work/promtool.log" 2>&1 || { cat "$work/promtool.log" >&2; die "promtool check config"; }
prometheus --config.file="$work/prometheus/prometheus.yml" --storage.tsdb.path="$work/prometheus/data" \
  --web.listen-address="127.0.0.1:$prometheus_port" >"$work/prometheus.log" 2>&1 &
prometheus_pid=$!
wait_healthy "$prometheus_pid" 60 curl -sf "http://127.0.0.1:$prometheus_port/-/ready" || die "Prometheus did not become ready"
step "$(prometheus --version 2>&1 | head -n 1) on 127.0.0.1:$prometheus_port, scraping both every second; promtool check config and rules pass"

# -- 2 to 4: the benchmark's traffic, then what Prometheus made of it ------------------------------
# One cell per server, one frame (the sample photo, so the latencies have one mode), no warm-up
# and no emulated link: each server gets the benchmark's probe and its REQUESTS.
java -jar bench/target/bench.jar --rest "http://127.0.0.1:$rest_port/predict" --grpc "127.0.0.1:$grpc_port" \
  --transports rest-multipart-tuned,grpc-unary --frames samples/face.jpg --concurrency 1 --requests "$REQUESTS" \
  --warmup 0 --first-warmup 0 --wire-calls 0 --cold-calls 0 --link none --workers 2 --out "$work/bench" \
  >"$work/bench.log" 2>&1 || die "the benchmark failed"
grep -E "^(REST tuned|gRPC unary) " "$work/bench.log" | sed 's/^/metrics:   /'
javac -d "$work/classes" -cp "client/target/lib/*" scripts/MetricsCheck.java || die "scripts/MetricsCheck.java does not compile"
java -cp "$work/classes:client/target/lib/*" MetricsCheck "http://127.0.0.1:$prometheus_port" "$work/bench/results.csv" \
  $((REQUESTS + 1)) || die "Prometheus's figures do not match the traffic"

stop_process "$prometheus_pid" 10
status=$?
prometheus_pid=
[ "$status" -eq 0 ] || die "Prometheus exited with status $status"
step "PASSED"
