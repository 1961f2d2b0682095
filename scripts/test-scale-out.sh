#!/usr/bin/env bash
# Scale-out for real, on loopback: two replicas of each server (the built jars, each with its
# own port and storage directory) behind nginx running deploy/nginx/inferbench.conf with only
# the addresses rewritten. It shows that
#  1. REST and gRPC requests through nginx succeed: unary calls, one gRPC stream longer than
#     16 MiB, and nginx's own 413 for an oversized REST body; the replicas' /metrics is not
#     served through nginx (404);
#  2. both replicas of each protocol served them (rows in each replica's records.csv);
#  3. after one replica of each is stopped, every request still succeeds and the survivor
#     serves them all (nginx's error log shows the refused connections it retried);
#  4. with no replica left, clients get a prompt, well-formed error: REST 502 with JSON,
#     gRPC UNAVAILABLE.
# nginx also terminates TLS, as docker-compose.tls.yml has it (deploy/nginx/tls/, with a CA and
# certificate from scripts/make-certs.sh): in step 1, REST over https and gRPC over TLS go
# through its TLS ports to the same plaintext replicas.
# Needs nginx, openssl and curl (Debian: apt-get install nginx openssl curl) and the jars (make
# build). Loopback ports only; everything it starts is stopped at the end, also when a step fails.
#   scripts/test-scale-out.sh          REQUESTS=N sets the requests per step (default 20)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/testlib.sh

REQUESTS=${REQUESTS:-20}
TLS_REQUESTS=4   # per protocol, through nginx's TLS ports, on top of REQUESTS
REST_JAR=server-rest/target/server-rest.jar
GRPC_JAR=server-grpc/target/server-grpc.jar
STREAM_BYTES=$((17 * 1024 * 1024))   # more than nginx's 16 MiB REST body limit, on one call

command -v nginx >/dev/null 2>&1 || { echo "scale-out: nginx is not installed (Debian: apt-get install nginx)" >&2; exit 1; }
for jar in "$REST_JAR" "$GRPC_JAR"; do
  [ -f "$jar" ] || { echo "scale-out: $jar is missing: run make build" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/scale-out.XXXXXX")
declare -A pid port jar_of
nginx_pid=
replicas=(rest-a rest-b grpc-a grpc-b)

show_logs() {
  local log
  for log in "$work"/*.log "$work"/nginx/error.log "$work"/nginx/access.log; do
    [ -s "$log" ] || continue
    echo "---- ${log#"$work"/} (last 20 lines)" >&2
    tail -n 20 "$log" >&2
  done
}
cleanup() {
  local name
  [ -n "$nginx_pid" ] && stop_process "$nginx_pid" 10 >/dev/null 2>&1
  for name in "${replicas[@]}"; do
    [ -n "${pid[$name]:-}" ] && stop_process "${pid[$name]}" 30 >/dev/null 2>&1
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { echo "scale-out: $*"; }
die() {
  echo "scale-out: FAILED: $*" >&2
  show_logs
  exit 1
}

# The traffic program is compiled once; the gRPC server's lib/ has the stub, grpc-java and
# the sample frames it needs.
traffic_classpath="$work/classes:client/target/lib/*"
javac -d "$work/classes" -cp "$traffic_classpath" scripts/BalancerTraffic.java || die "scripts/BalancerTraffic.java does not compile"
traffic() {
  java -cp "$traffic_classpath" BalancerTraffic "$@" || die "traffic check '$1' failed"
}

# Rows in a replica's records.csv: one per frame it saved (the first line is the header).
rows() {
  local csv="$work/$1/records.csv"
  if [ -f "$csv" ]; then echo $(($(wc -l <"$csv") - 1)); else echo 0; fi
}

stop_replica() {
  stop_process "${pid[$1]}" 30
  local status=$?
  pid[$1]=
  exited_cleanly $status || die "$1 exited with status $status after SIGTERM"
}

# -- the replicas ---------------------------------------------------------------------------
jar_of=([rest-a]=$REST_JAR [rest-b]=$REST_JAR [grpc-a]=$GRPC_JAR [grpc-b]=$GRPC_JAR)
for name in "${replicas[@]}"; do
  port[$name]=$(free_port) || die "no free loopback port"
  # (the gRPC replicas' metrics ports would clash on one machine: scripts/test-metrics.sh tests them)
  java -Xmx256m -jar "${jar_of[$name]}" --bind 127.0.0.1 --port "${port[$name]}" --workers 1 \
    --metrics-port 0 --storage "$work/$name" >"$work/$name.log" 2>&1 &
  pid[$name]=$!
done
for name in "${replicas[@]}"; do
  wait_healthy "${pid[$name]}" 120 java -jar "${jar_of[$name]}" --probe --port "${port[$name]}" \
    || die "replica $name did not become healthy"
done
step "replicas healthy: rest-a :${port[rest-a]}, rest-b :${port[rest-b]}, grpc-a :${port[grpc-a]}, grpc-b :${port[grpc-b]}"

# -- nginx with the shipped configuration -----------------------------------------------------
lb_rest=$(free_port) && lb_grpc=$(free_port) || die "no free loopback port"
lb_rest_tls=$(free_port) && lb_grpc_tls=$(free_port) || die "no free loopback port"
mkdir -p "$work/nginx/tls"
scripts/make-certs.sh "$work/certs" >/dev/null || die "scripts/make-certs.sh could not make the certificates"
for snippet in rest grpc; do
  sed -E -e "s:/etc/nginx/certs/:$work/certs/:" \
    -e "s/^listen 8443 ssl;/listen 127.0.0.1:$lb_rest_tls ssl;/" \
    -e "s/^listen 50443 ssl http2;/listen 127.0.0.1:$lb_grpc_tls ssl http2;/" \
    "deploy/nginx/tls/$snippet.conf" >"$work/nginx/tls/$snippet.conf"
done
if [ "$(cat "$work"/nginx/tls/*.conf | grep -c "^listen 127\.0\.0\.1:")" -ne 2 ] || grep -q /etc/nginx "$work"/nginx/tls/*.conf; then
  die "deploy/nginx/tls/*.conf no longer have the listen and certificate lines this test rewrites; update both together"
fi
sed -E \
  -e "s:/etc/nginx/inferbench-tls/:$work/nginx/tls/:" \
  -e "s/^([[:space:]]*)server rest-replica:8001(.*)$/\1server 127.0.0.1:${port[rest-a]}\2\n\1server 127.0.0.1:${port[rest-b]}\2/" \
  -e "s/^([[:space:]]*)server grpc-replica:50051(.*)$/\1server 127.0.0.1:${port[grpc-a]}\2\n\1server 127.0.0.1:${port[grpc-b]}\2/" \
  -e "s/^([[:space:]]*)listen 8001;/\1listen 127.0.0.1:$lb_rest;/" \
  -e "s/^([[:space:]]*)listen 50051 http2;/\1listen 127.0.0.1:$lb_grpc http2;/" \
  deploy/nginx/inferbench.conf >"$work/nginx/balancer.conf"
if [ "$(grep -c '^[[:space:]]*server 127\.0\.0\.1:' "$work/nginx/balancer.conf")" -ne 4 ] \
  || [ "$(grep -c '^[[:space:]]*listen 127\.0\.0\.1:' "$work/nginx/balancer.conf")" -ne 2 ] \
  || grep -Eq 'replica:|listen (8001|50051)|^[[:space:]]*include /etc/nginx' "$work/nginx/balancer.conf"; then
  die "deploy/nginx/inferbench.conf no longer has the server/listen lines this test rewrites; update both together"
fi
# Only the frame nginx needs outside the stock image's http block: its own pid, logs and temp
# directories (no root-owned path), and a log format that names the replica of each request.
user_line=
[ "$(id -u)" -eq 0 ] && user_line="user $(id -un) $(id -gn);"   # workers run as the caller
cat >"$work/nginx/nginx.conf" <<EOF
# Generated by scripts/test-scale-out.sh around deploy/nginx/inferbench.conf.
worker_processes 1;
pid $work/nginx/nginx.pid;
$user_line
events { worker_connections 256; }
http {
    log_format replica '\$request_method \$uri \$status upstream=\$upstream_addr upstream_status=\$upstream_status';
    access_log $work/nginx/access.log replica;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    include balancer.conf;
}
EOF
nginx_args=(-p "$work/nginx/" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log")
nginx -t -q "${nginx_args[@]}" 2>"$work/nginx-test.log" || { cat "$work/nginx-test.log" >&2; die "nginx -t refused the configuration"; }
nginx "${nginx_args[@]}" -g 'daemon off;' &
nginx_pid=$!
listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$lb_rest") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$lb_grpc") 2>/dev/null \
    && (exec 3<>"/dev/tcp/127.0.0.1/$lb_grpc_tls") 2>/dev/null
}
wait_healthy "$nginx_pid" 20 listening || die "nginx did not start listening"
step "nginx $(nginx -v 2>&1 | sed 's:.*/::') balancing REST on 127.0.0.1:$lb_rest and gRPC on 127.0.0.1:$lb_grpc," \
  "with TLS on 127.0.0.1:$lb_rest_tls and 127.0.0.1:$lb_grpc_tls"

# -- 1 and 2: everything through nginx, spread over both replicas -----------------------------
traffic rest "127.0.0.1:$lb_rest" "$REQUESTS"
traffic grpc "127.0.0.1:$lb_grpc" "$REQUESTS"
traffic grpc-stream "127.0.0.1:$lb_grpc" "$STREAM_BYTES"
traffic rest-too-large "127.0.0.1:$lb_rest"
metrics_status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$lb_rest/metrics")
[ "$metrics_status" = 404 ] || die "GET /metrics through nginx answered $metrics_status: the replicas' metrics are for Prometheus, not through the balancer"
TLS_CA="$work/certs/ca.pem" traffic rest "127.0.0.1:$lb_rest_tls" "$TLS_REQUESTS"
TLS_CA="$work/certs/ca.pem" traffic grpc "127.0.0.1:$lb_grpc_tls" "$TLS_REQUESTS"
ra=$(rows rest-a) rb=$(rows rest-b) ga=$(rows grpc-a) gb=$(rows grpc-b)
step "REST requests served: rest-a $ra, rest-b $rb; gRPC calls served: grpc-a $ga, grpc-b $gb ($TLS_REQUESTS each through TLS)"
total=$((REQUESTS + TLS_REQUESTS))
[ $((ra + rb)) -eq "$total" ] && [ $((ga + gb)) -eq "$total" ] || die "expected $total saved frames per protocol"
[ "$ra" -gt 0 ] && [ "$rb" -gt 0 ] || die "one REST replica served nothing"
[ "$ga" -gt 0 ] && [ "$gb" -gt 0 ] || die "one gRPC replica served nothing (one client channel, so nginx must balance per call)"

# -- 3: one replica of each stopped -----------------------------------------------------------
stop_replica rest-a
stop_replica grpc-a
step "stopped rest-a and grpc-a (SIGTERM, clean exit)"
traffic rest "127.0.0.1:$lb_rest" "$REQUESTS"
traffic grpc "127.0.0.1:$lb_grpc" "$REQUESTS"
ra2=$(rows rest-a) rb2=$(rows rest-b) ga2=$(rows grpc-a) gb2=$(rows grpc-b)
step "then served: rest-a +$((ra2 - ra)), rest-b +$((rb2 - rb)); grpc-a +$((ga2 - ga)), grpc-b +$((gb2 - gb))"
[ "$ra2" -eq "$ra" ] && [ "$ga2" -eq "$ga" ] || die "a stopped replica saved frames"
[ $((rb2 - rb)) -eq "$REQUESTS" ] && [ $((gb2 - gb)) -eq "$REQUESTS" ] || die "the surviving replicas did not serve every request"
refused_rest=$(grep -c "Connection refused.*127\.0\.0\.1:${port[rest-a]}" "$work/nginx/error.log")
refused_grpc=$(grep -c "Connection refused.*127\.0\.0\.1:${port[grpc-a]}" "$work/nginx/error.log")
retried=$(grep -c 'upstream_status=502, 200' "$work/nginx/access.log")
step "nginx found the stopped replicas refusing ($refused_rest REST, $refused_grpc gRPC connection attempts), retried $retried request(s) on the survivor, and marked them down (max_fails=1, fail_timeout=10s)"

# -- 4: no replica left -------------------------------------------------------------------------
stop_replica rest-b
stop_replica grpc-b
traffic rest-down "127.0.0.1:$lb_rest"
traffic grpc-down "127.0.0.1:$lb_grpc"

stop_process "$nginx_pid" 10
status=$?
nginx_pid=
[ "$status" -eq 0 ] || die "nginx exited with status $status"
step "PASSED"
