#!/usr/bin/env bash
# The one build entry point: the Makefile and the Dockerfiles call this script.
#   ./build.sh [package|test|test-core|clean] [module ...]
# package (default) builds runnable jars without running tests; test runs every test; test-core
# runs the tests of what a student reads first (the pipeline and each server's core: common,
# server-rest, server-grpc) and leaves out the ones tagged "limits" (deadlines, memory, caps,
# impolite clients, stops under load), which test runs too.
# Naming modules (server-rest, server-grpc, client) builds only those and what they need.
#
# Maven comes from the Maven wrapper (./mvnw): the version pinned in
# .mvn/wrapper/maven-wrapper.properties, downloaded from Maven Central into ~/.m2/wrapper/ on
# first use, so a JDK is all a build needs and every machine builds with the same Maven.
# MVN=mvn (or a path) builds with another Maven instead, 3.8 or newer: the Dockerfiles use
# their image's own.
set -euo pipefail
cd "$(dirname "$0")"

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "build.sh: '$1' was not found on PATH. $2" >&2; exit 127; }
}
jdk="Install a JDK 17 or newer (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless; or any JDK from adoptium.net)."
need java "$jdk"
need javac "$jdk (A JRE has java but no compiler.)"
# java.specification.version is "1.8" up to Java 8 and "9", "17", ... after: take the major number.
java_version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
java_major=${java_version#1.}
java_major=${java_major%%.*}
if ! [ "${java_major:-0}" -ge 17 ] 2>/dev/null; then
  echo "build.sh: Java 17 or newer is needed, found Java ${java_version:-unknown} ('java' on PATH)." >&2
  exit 1
fi

if [ -n "${MVN:-}" ]; then
  need "$MVN" "MVN names the Maven to use; unset it to use the wrapper, ./mvnw."
  maven_version=$("$MVN" -B -v 2>/dev/null | sed -n 's/.*Apache Maven \([0-9][0-9.]*\).*/\1/p' | head -n 1)
  IFS=. read -r maven_major maven_minor _ <<<"${maven_version:-0.0}"
  if [ "${maven_major:-0}" -lt 3 ] || { [ "$maven_major" -eq 3 ] && [ "${maven_minor:-0}" -lt 8 ]; }; then
    echo "build.sh: MVN=$MVN is Maven ${maven_version:-of unknown version}; 3.8 or newer is needed (or unset MVN to use ./mvnw)." >&2
    exit 1
  fi
  mvn=("$MVN")
else
  mvn=(./mvnw)
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
  package) "${mvn[@]}" "${mvn_opts[@]}" -q package -DskipTests "${projects[@]}" ;;
  test)    "${mvn[@]}" "${mvn_opts[@]}" verify "${projects[@]}" ;;
  test-core)
    [ ${#projects[@]} -gt 0 ] || projects=(-pl common,server-rest,server-grpc -am)
    # -T 2: the two servers' modules test side by side once common is built
    "${mvn[@]}" "${mvn_opts[@]}" -T 2 test -DexcludedGroups=limits "${projects[@]}" ;;
  clean)   "${mvn[@]}" "${mvn_opts[@]}" -q clean ;;
  *) echo "usage: ./build.sh [package|test|test-core|clean] [module ...]" >&2; exit 2 ;;
esac
