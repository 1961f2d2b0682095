#!/usr/bin/env bash
# Counts the lines of the README's "Where to read" lanes, so its figures stay true:
#   scripts/count-lines.sh            every lane, file by file, with its totals
#   scripts/count-lines.sh --totals   one line per lane
# Two counts per file: "lines", as wc -l counts them, and "read", the lines a reader reads
# (without blank lines and the package and import lines). A file moved or renamed is an error
# here, so update the lanes below with the code. So is a core file that imports what attaches
# beside it (the limits, the metrics, the Prometheus client): the core never knows them (CI
# runs this). Needs bash, grep and awk only.
set -euo pipefail
cd "$(dirname "$0")/.."

rest=server-rest/src/main/java/inferbench/rest
grpc=server-grpc/src/main/java/inferbench/grpc
common=common/src/main/java/inferbench

lanes=(
  "core: shared|$common/pipeline/DetectionPipeline.java $common/server/WorkerPool.java"
  "core: REST|$rest/RestServer.java $rest/Routes.java $rest/PredictHandler.java $rest/MultipartParser.java $rest/HeaderValue.java $rest/HttpError.java $rest/JsonResponse.java"
  "core: gRPC|proto/img_service.proto $grpc/GrpcServer.java $grpc/InferenceService.java $grpc/FrameStream.java"
  "limits: REST|$(ls $rest/limits/*.java | tr '\n' ' ')"
  "limits: gRPC|$(ls $grpc/limits/*.java | tr '\n' ' ')"
  "metrics: both, REST, gRPC|$(ls metrics/src/main/java/inferbench/metrics/*.java $rest/metrics/*.java $grpc/metrics/*.java | tr '\n' ' ')"
  "beside the core: tuned, logs, TLS, main|$rest/ByteSearch.java $rest/AccessLog.java $rest/HealthProbe.java $rest/RestServerMain.java $grpc/AccessLog.java $grpc/HealthProbe.java $grpc/GrpcServerMain.java $common/server/ServerMain.java $common/server/ServerSettings.java $common/server/RequestLimits.java $common/server/LimitsReport.java $common/server/LimitHits.java $common/server/ListenAddress.java $common/server/StopSignals.java $common/server/DaemonThreads.java $common/config/Config.java $common/json/JsonWriter.java $grpc/GrpcTls.java $(ls $common/tls/*.java | tr '\n' ' ')"
)

totals=false
[ "${1:-}" = "--totals" ] && totals=true

count() { # file -> "lines read"
  awk '{ n++ } !/^[[:space:]]*$/ && !/^(package|import) / { r++ } END { print n + 0, r + 0 }' "$1"
}

core_lines=0 core_read=0
for lane in "${lanes[@]}"; do
  name=${lane%%|*}
  lines=0 read=0 files=0
  $totals || printf '\n%s\n' "$name"
  for file in ${lane#*|}; do
    [ -f "$file" ] || { echo "count-lines.sh: $file is gone: update the lanes in this script" >&2; exit 1; }
    case $name in core:*)
      if beside=$(grep -E '^import (static )?(inferbench\.(metrics|rest\.metrics|grpc\.metrics|rest\.limits|grpc\.limits)|io\.prometheus)\.' "$file"); then
        echo "count-lines.sh: $file, in the core lane, imports what attaches beside the core: $beside" >&2
        exit 1
      fi ;;
    esac
    set -- $(count "$file")
    lines=$((lines + $1)) read=$((read + $2)) files=$((files + 1))
    $totals || printf '  %5d %5d  %s\n' "$1" "$2" "$file"
  done
  printf '%s%-38s %5d lines, %5d read, %2d files\n' "$($totals || echo '  ')" "$name" "$lines" "$read" "$files"
  case $name in core:*) core_lines=$((core_lines + lines)) core_read=$((core_read + read)) ;; esac
done
printf '\n%-40s %5d lines, %5d read\n' "core lane, both protocols" "$core_lines" "$core_read"
