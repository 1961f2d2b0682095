#!/usr/bin/env bash
# The one build entry point: the Makefile and the Dockerfiles call this script.
#   ./build.sh [package|test|clean] [module ...]
# package (default) builds runnable jars without running tests; test runs every test.
# Naming modules (server-rest, server-grpc, client) builds only those and what they need.
set -euo pipefail
cd "$(dirname "$0")"

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "build.sh: '$1' was not found on PATH. $2" >&2; exit 127; }
}
need java "Install a JDK 17 or newer (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless)."
need mvn "Install Apache Maven 3.8 or newer (Debian/Ubuntu: apt-get install maven)."
# java.specification.version is "1.8" up to Java 8 and "9", "17", ... after: take the major number.
java_version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
java_major=${java_version#1.}
java_major=${java_major%%.*}
if ! [ "${java_major:-0}" -ge 17 ] 2>/dev/null; then
  echo "build.sh: Java 17 or newer is needed, found Java ${java_version:-unknown} ('java' on PATH)." >&2
  exit 1
fi

goal=${1:-package}
[ $# -gt 0 ] && shift
projects=()
if [ $# -gt 0 ]; then
  projects=(-pl "$(IFS=,; echo "$*")" -am)
fi
mvn_opts=(-B --no-transfer-progress)
# Debian's Maven 3.8 prints a bare colour reset (ESC[0m) at exit even in batch mode; this stops it.
export MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true"

case "$goal" in
  package) mvn "${mvn_opts[@]}" -q package -DskipTests "${projects[@]}" ;;
  test)    mvn "${mvn_opts[@]}" verify "${projects[@]}" ;;
  clean)   mvn "${mvn_opts[@]}" -q clean ;;
  *) echo "usage: ./build.sh [package|test|clean] [module ...]" >&2; exit 2 ;;
esac
