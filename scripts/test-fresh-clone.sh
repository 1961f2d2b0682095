#!/usr/bin/env bash
# CI check of a newcomer's first minutes: a fresh clone of this repository's HEAD, a JDK and no
# Maven on PATH (build.sh takes it from the wrapper, ./mvnw), then
#  1. make build, twice: the second, with nothing changed, must leave every jar as it was (same
#     bytes, same file: not even rewritten);
#  2. make run-servers, as the README's quick start has it, then every line of the README's
#     "with the servers running" block exactly as written (its curl answer checked against the
#     one the README shows, less the time and the file name); Ctrl-C then stops both servers;
#  3. REST_PORT/GRPC_PORT make run-servers, and make client with the same variables (headless,
#     with --screenshot, which exits 1 unless both servers answered): make client follows
#     them, and its build rewrites no jar of the running servers;
#  4. TLS as the README's "Run it" has it: make certs, make run-servers TLS=1, then its curl
#     line over https and make client TLS=1, both trusting certs/ca.pem.
# It fails when a line fails, so the README's quick start cannot drift from what works. The
# quick start's other lines run elsewhere in CI: make test and make bench (ARGS=--quick) in
# .ci/run, the window in scripts/test-client-window.sh.
#
# The README's lines use ports 8001 and 50051, so the servers and the lines run in a network
# namespace of their own (unshare --net), where those ports are free and only loopback exists;
# the builds run before it, as the first one needs Maven Central. Maven is hidden by a mount
# namespace: every mvn on PATH is covered by an empty file without the execute bit, and /tmp is
# a private tmpfs, so the README's /tmp/one.png is the check's own. Needs root (CI runs as
# root); reuses ~/.m2 (the wrapper's Maven and the dependencies), so only the first run on a
# machine downloads them.
#   scripts/test-fresh-clone.sh
set -uo pipefail
STARTUP_LIMIT=240   # seconds for make run-servers to build nothing and report both servers healthy
LINE_LIMIT=180      # seconds for one README line, or make client
STOP_LIMIT=60       # seconds for Ctrl-C to stop make run-servers

say() { echo "fresh-clone: $*"; }
die() { echo "fresh-clone: $*" >&2; exit 1; }

# Every jar under a target/ folder: inode, size, change time and SHA-256, so a jar rewritten
# with the same bytes shows as well as a changed one.
jar_state() {
  find . -path '*/target/*' -name '*.jar' -print0 | sort -z | xargs -0 stat -c '%n %i %s %Z' \
    && find . -path '*/target/*' -name '*.jar' -print0 | sort -z | xargs -0 sha256sum
}

same_jars() { # same_jars STATE_FILE WHAT
  local now
  now=$(jar_state)
  if [ "$now" != "$(cat "$1")" ]; then
    echo "fresh-clone: $2 changed jars that nothing asked to change:" >&2
    diff <(cat "$1") <(echo "$now") | grep '^[<>]' | head -n 20 >&2
    return 1
  fi
  say "$2: every jar as it was ($(grep -c ' ' <<<"$now") lines of inode, size, time and SHA-256)"
}

# Every executable mvn on PATH (test -x: an empty file without the execute bit is not one).
maven_on_path() {
  local dir dirs
  IFS=: read -ra dirs <<<"$PATH"
  for dir in "${dirs[@]}"; do
    [ -f "$dir/mvn" ] && [ -x "$dir/mvn" ] && echo "$dir/mvn"
  done
}

# The README's quick-start code blocks, as "N<TAB>line" (N: the block's number in the section).
quick_start() {
  awk '/^## Quick start/ {in_section = 1; next} /^## / {in_section = 0} in_section' README.md \
    | awk '/^```sh$/ {block++; in_block = 1; next} /^```$/ {in_block = 0; next} in_block {print block "\t" $0}'
}

# An answer with what changes from run to run (the time taken, the saved file's name) made equal.
normalised() {
  tr -d ' \n' | sed -E -e 's/"latency_ms":[0-9.]+/"latency_ms":N/' -e 's/"filename":"[0-9]{8}_[0-9]{6}_[0-9]{3}\.jpg"/"filename":F/'
}

pgids=()
stop_all() {
  local pgid
  for pgid in "${pgids[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null; done
  wait 2>/dev/null
}

# start_servers LOG [VAR=VALUE ...]: make run-servers in a process group of its own, as a
# terminal runs it (job control: SIGINT not ignored, unlike a script's background job); waits
# for it to say the servers are healthy.
start_servers() {
  local log=$1 deadline=$((SECONDS + STARTUP_LIMIT))
  shift
  set -m
  env "$@" make run-servers >"$log" 2>&1 &
  running=$!
  set +m
  pgids+=("$running")
  until grep -q '^run-servers: Ctrl-C stops them' "$log"; do
    if ! kill -0 "$running" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      cat "$log" >&2
      die "${*:+$* }make run-servers did not report both servers healthy (its output is above)"
    fi
    sleep 0.5
  done
  say "${*:+$* }make run-servers: healthy after $((SECONDS - deadline + STARTUP_LIMIT)) s"
}

# Ctrl-C, as a terminal sends it: SIGINT to the whole process group.
stop_servers() {
  local log=$1 deadline=$((SECONDS + STOP_LIMIT))
  kill -INT -- "-$running"
  while kill -0 "$running" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  kill -0 "$running" 2>/dev/null && { cat "$log" >&2; die "Ctrl-C did not stop make run-servers in ${STOP_LIMIT} s"; }
  wait "$running" 2>/dev/null
  grep -q '^run-servers: stopped cleanly' "$log" || { cat "$log" >&2; die "Ctrl-C: run-servers did not stop cleanly"; }
  say "Ctrl-C stopped both servers cleanly"
}

# Step 2 and 3, in the network namespace, from the clone.
servers_and_readme() {
  local work=$1 lines line block command expected= status
  ip link set lo up || die "cannot bring up loopback in the network namespace"
  trap stop_all EXIT
  mapfile -t lines < <(quick_start)
  [ ${#lines[@]} -gt 0 ] || die "README.md has no code block under '## Quick start'"

  # The first block: make run-servers first; every other line is one CI runs elsewhere.
  for line in "${lines[@]}"; do
    [ "${line%%$'\t'*}" = 1 ] || continue
    command=$(sed -E 's/[[:space:]]+#.*$//' <<<"${line#*$'\t'}")
    case $command in
      'make run-servers'|'make client'|'make test'|'make bench') ;;
      *) die "README quick start: '$command' is run by no CI step: add it to scripts/test-fresh-clone.sh" ;;
    esac
  done
  [ "$(printf '%s\n' "${lines[@]}" | sed -n '1s/^1\t//p' | sed -E 's/[[:space:]]+#.*$//')" = 'make run-servers' ] \
    || die "README quick start: the first line is no longer 'make run-servers'"

  start_servers "$work/run-servers.log"
  same_jars "$work/jars" "make run-servers's build, with nothing changed"

  # Every other block's lines as written, in order; a "# {...}" comment after a line is its answer.
  local ran=0 i
  for ((i = 0; i <= ${#lines[@]}; i++)); do
    line=${lines[i]:-}
    block=${line%%$'\t'*}
    line=${line#*$'\t'}
    if [ -n "$expected" ] && { [ $i -eq ${#lines[@]} ] || [[ $line != '#  '* ]]; }; then
      if [ "$(normalised <"$work/out")" != "$(normalised <<<"$expected")" ]; then
        die "README line '$command' answered $(cat "$work/out"), not what the README shows: $expected"
      fi
      say "  its answer is the README's (time and file name aside)"
      expected=
    fi
    [ $i -lt ${#lines[@]} ] && [ "$block" != 1 ] || continue
    case $line in
      '# {'*) expected=${line#'# '}; continue ;;
      '#  '*) [ -n "$expected" ] && expected+=${line#'#'}; continue ;;
      '#'*|'') continue ;;
    esac
    command=$line
    say "README line: $command"
    timeout "$LINE_LIMIT" bash -c "$command" >"$work/out" 2>"$work/err"
    status=$?
    if [ $status -ne 0 ]; then
      cat "$work/out" "$work/err" >&2
      die "README line '$command' exited with status $status (its output is above)"
    fi
    ran=$((ran + 1))
  done
  [ $ran -ge 2 ] || die "README quick start: $ran lines to run with the servers (the curl and java lines expected)"
  stop_servers "$work/run-servers.log"

  start_servers "$work/run-servers-ports.log" REST_PORT=8101 GRPC_PORT=50151
  local client=(make client ARGS="--source images:samples/face.jpg --frames 1 --screenshot /tmp/ports.png")
  say "REST_PORT=8101 GRPC_PORT=50151 ${client[*]}"
  REST_PORT=8101 GRPC_PORT=50151 timeout "$LINE_LIMIT" "${client[@]}" >"$work/client.log" 2>&1
  status=$?
  [ $status -eq 0 ] || { cat "$work/client.log" >&2; die "make client on REST_PORT/GRPC_PORT exited with status $status"; }
  grep -q 'REST http://localhost:8101/predict and gRPC localhost:50151' "$work/client.log" \
    || { cat "$work/client.log" >&2; die "make client did not follow REST_PORT and GRPC_PORT"; }
  same_jars "$work/jars" "make client's build, with the servers running"
  stop_servers "$work/run-servers-ports.log"

  # TLS, as the README's "Run it" has it: make certs, make run-servers TLS=1, then curl and make
  # client TLS=1 trusting certs/ca.pem.
  make certs >"$work/certs.log" 2>&1 || { cat "$work/certs.log" >&2; die "make certs failed"; }
  start_servers "$work/run-servers-tls.log" TLS=1
  say "curl --cacert certs/ca.pem ... https://localhost:8001/predict"
  timeout "$LINE_LIMIT" curl -sS --cacert certs/ca.pem -F "file=@samples/face.jpg;type=image/jpeg" \
    https://localhost:8001/predict >"$work/tls-curl.out" 2>&1 || { cat "$work/tls-curl.out" >&2; die "curl over TLS failed"; }
  grep -q '"label":"face"' "$work/tls-curl.out" || { cat "$work/tls-curl.out" >&2; die "curl over TLS: no face"; }
  local tls_client=(make client TLS=1 ARGS="--source images:samples/face.jpg --frames 1 --screenshot /tmp/tls.png")
  say "${tls_client[*]}"
  timeout "$LINE_LIMIT" "${tls_client[@]}" >"$work/tls-client.log" 2>&1
  status=$?
  [ $status -eq 0 ] || { cat "$work/tls-client.log" >&2; die "make client TLS=1 exited with status $status"; }
  grep -q 'REST https://localhost:8001/predict' "$work/tls-client.log" \
    || { cat "$work/tls-client.log" >&2; die "make client TLS=1 did not use https"; }
  stop_servers "$work/run-servers-tls.log"
}

# Step 1, in the mount namespace: Maven hidden, the builds, then the rest without a network.
without_maven() {
  local work=$1 found tries=0
  : >"$work/not-maven"
  while found=$(maven_on_path | head -n 1); [ -n "$found" ]; do
    tries=$((tries + 1))
    [ $tries -le 10 ] || die "cannot hide $found"
    mount --bind "$work/not-maven" "$(readlink -f "$found")" || die "cannot hide $found"
  done
  mount -t tmpfs -o mode=1777 tmpfs /tmp || die "cannot mount a private /tmp"
  ! mvn -v >/dev/null 2>&1 || die "mvn still runs"
  say "no mvn on PATH; $(java -version 2>&1 | head -n 1)"
  cd "$work/clone" || die "no clone"

  local started=$SECONDS
  make build >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; die "make build failed on the fresh clone"; }
  say "make build: $((SECONDS - started)) s ($(./mvnw -B -v 2>/dev/null | head -n 1), from the wrapper)"
  jar_state >"$work/jars"
  make build >"$work/build-again.log" 2>&1 || { tail -n 40 "$work/build-again.log" >&2; die "the second make build failed"; }
  same_jars "$work/jars" "a second make build, with nothing changed" || exit 1

  unshare --net "$work/check.sh" --loopback-only "$work" || exit 1
}

case ${1:-} in
  --without-maven) without_maven "$2" ;;
  --loopback-only) cd "$2/clone" && servers_and_readme "$2" ;;
  '')
    [ "$(id -u)" = 0 ] || die "needs root (network and mount namespaces); CI runs as root"
    root=$(cd "$(dirname "$0")/.." && pwd)
    # Not under /tmp, which the check replaces with a private tmpfs.
    work=$(mktemp -d /var/tmp/inferbench-fresh-clone.XXXXXX)
    trap 'rm -rf "$work"' EXIT
    started=$SECONDS
    git clone -q "$root" "$work/clone" || die "git clone failed"
    say "cloned $(git -C "$work/clone" log -1 --format='%h %s' | cut -c1-80)"
    # This script runs on from a copy beside the clone: the private /tmp would hide a checkout
    # that lies under /tmp, and this script with it.
    cp "$0" "$work/check.sh" || die "cannot copy the check"
    unshare --mount --propagation private "$work/check.sh" --without-maven "$work" \
      || die "FAILED after $((SECONDS - started)) s"
    say "OK in $((SECONDS - started)) s"
    ;;
  *) die "usage: scripts/test-fresh-clone.sh" ;;
esac
