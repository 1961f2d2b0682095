#!/usr/bin/env bash
# What the metrics cost per request, two ways. First, on the CPU: the metric updates of one
# request in a loop (scripts/MetricsCostProbe.java), which no other load on the machine can hide.
# Then end to end, with the benchmark: the same run with the servers'
# metrics on (their default) and off (--server-args "--metrics-port 0"), taking turns, ROUNDS
# times each (on, off, then off, on, ...), so a machine whose load drifts favours neither; then the
# median over the rounds of each cell's end-to-end p50 and mean at 1 in flight and of its req/s at
# 2 in flight (both workers busy), off against on. docs/metrics.md has the latest figures.
#   scripts/metrics-cost.sh [ROUNDS]          (default 5; about 2 minutes per run on 2 cores)
# Needs the built jars (make build, or ./build.sh package server-rest server-grpc bench), which it
# copies first, so a build meanwhile changes nothing. Each run's results stay in OUT (default
# bench/target/metrics-cost/), one folder per run.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-5}
OUT=${OUT:-bench/target/metrics-cost}
# One frame, the sample photo: the default set's two frames alternate a fast and a slow request,
# whose p50 falls in the gap between the two and moves with their tails, not with a cost.
ARGS=(--transports rest-multipart-tuned,grpc-unary,grpc-stream --frames samples/face.jpg --concurrency 1,2
  --requests 300 --first-warmup 1000 --wire-calls 0 --cold-calls 0 --tls-calls 0 --link none)

for jar in server-rest/target/server-rest.jar server-grpc/target/server-grpc.jar bench/target/bench.jar; do
  [ -f "$jar" ] || { echo "metrics-cost: $jar is missing: run make build" >&2; exit 1; }
done
rm -rf "$OUT"
mkdir -p "$OUT/jars"
for module in server-rest server-grpc bench; do
  mkdir -p "$OUT/jars/$module"
  cp -r "$module/target/$module.jar" "$module/target/lib" "$OUT/jars/$module/"
done
ARGS+=(--rest-jar "$OUT/jars/server-rest/server-rest.jar" --grpc-jar "$OUT/jars/server-grpc/server-grpc.jar")

run() { # run NAME [bench options...]
  local name=$1
  shift
  echo "metrics-cost: $name (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  java -jar "$OUT/jars/bench/bench.jar" "${ARGS[@]}" --out "$OUT/$name" "$@" >"$OUT/$name.log" 2>&1 \
    || { tail -n 20 "$OUT/$name.log" >&2; exit 1; }
}

java -cp "$OUT/jars/server-rest/lib/*" scripts/MetricsCostProbe.java | tee "$OUT/probe.txt" >&2

for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then
    run "on-$round"
    run "off-$round" --server-args "--metrics-port 0"
  else
    run "off-$round" --server-args "--metrics-port 0"
    run "on-$round"
  fi
done

# Every served cell of every run: metrics transport in_flight e2e_p50 e2e_mean req/s
for csv in "$OUT"/o*/results.csv; do
  metrics=$(basename "$(dirname "$csv")")
  metrics=${metrics%%-*}
  tr -d '"' <"$csv" | awk -F, -v metrics="$metrics" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["transport"] !~ /^floor/ {
      print metrics, $col["transport"], $col["concurrency"], $col["e2e_p50_ms"], $col["e2e_mean_ms"], $col["throughput_rps"]
    }' OFS='\t'
done >"$OUT/cells.tsv"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
figure() { # figure METRICS TRANSPORT IN_FLIGHT COLUMN: the median over the rounds
  awk -F'\t' -v m="$1" -v t="$2" -v c="$3" -v k="$4" '$1 == m && $2 == t && $3 == c { print $k }' "$OUT/cells.tsv" | median
}

echo
tail -n 1 "$OUT/probe.txt"
echo
echo "Medians over $ROUNDS rounds, metrics off / on (results in $OUT):"
echo
echo "| transport | p50 ms at 1 in flight, off / on | on vs off | mean ms at 1, off / on | on vs off | req/s at 2 in flight, off / on | on vs off |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for transport in "REST tuned" "gRPC unary" "gRPC stream"; do
  p50_off=$(figure off "$transport" 1 4) p50_on=$(figure on "$transport" 1 4)
  mean_off=$(figure off "$transport" 1 5) mean_on=$(figure on "$transport" 1 5)
  rps_off=$(figure off "$transport" 2 6) rps_on=$(figure on "$transport" 2 6)
  awk -v t="$transport" -v p0="$p50_off" -v p1="$p50_on" -v m0="$mean_off" -v m1="$mean_on" -v r0="$rps_off" -v r1="$rps_on" \
    'BEGIN { printf "| %s | %.2f / %.2f | %+.1f%% | %.2f / %.2f | %+.1f%% | %.1f / %.1f | %+.1f%% |\n", t, p0, p1, (p1 - p0) / p0 * 100, m0, m1, (m1 - m0) / m0 * 100, r0, r1, (r1 - r0) / r0 * 100 }'
done
