#!/usr/bin/env bash
# The containers for real: builds both images from Dockerfile.rest and Dockerfile.grpc and
# runs them, alone and through docker-compose.yml, with podman (no Docker engine runs on the CI
# machine) and Debian's docker-compose talking to podman's Docker-compatible API. It shows that
#  1. both images build (podman build --format docker: the OCI format would drop HEALTHCHECK);
#  2. a container of each, started as the Dockerfiles' own comment says, with the host folder
#     bind-mounted, becomes healthy through its own HEALTHCHECK; java is PID 1 and runs as
#     uid 10001; a REST multipart ?save=1 and a gRPC Predict(save=true) return the one face
#     at the expected box, and the JPEG and its records.csv row land in the host folder,
#     owned by 10001:10001;
#  3. with --user (compose's APP_UID), the server runs as that user and the files are its
#     own; a folder that user cannot write stops the server at start with a clear message;
#  4. docker stop (SIGTERM) while clients are busy: every request sent before it is answered
#     and saved, the server says it drained, and the container exits 0;
#  5. docker-compose up --build -d (the README's command, in a fresh copy of the tree) runs
#     both servers healthy, saving to ./storage as in 2, and docker-compose stop exits 0;
#  6. with docker-compose.tls.yml and certificates from make certs (keys readable by root
#     alone), both servers serve TLS: healthy through their HEALTHCHECK over TLS, still running
#     as 10001, a REST https save and a gRPC TLS save answered, plaintext clients refused;
#  7. the "scale" profile with 2+2 replicas behind nginx spreads REST requests and gRPC calls
#     (one channel) over both replicas, and still answers every one with one replica of
#     each stopped; nginx terminates TLS for both protocols on its TLS ports too; with the
#     "monitoring" profile beside it, Prometheus finds every replica by its service name and
#     counts the requests each served.
#
# No registry is reachable here, so the base images the Dockerfiles name are stand-ins built
# from Debian packages (mmdebstrap) under the very names the Dockerfiles use: Debian's
# OpenJDK 17 + Maven (from Maven Central) for maven:3.9-eclipse-temurin-17, Debian's OpenJDK 17
# JRE for eclipse-temurin:17-jre, Debian's nginx for nginx:stable, Debian's Prometheus (2.42) for
# prom/prometheus:v2.53.0. An image already present
# under such a name (a real one, or a stand-in from an earlier run) is used as it is.
#
# Needs root (CI runs as root), the built jars (make build) and Debian packages, which it
# installs when missing. Publishes host ports on 127.0.0.1 only: free ones from 18100-18179
# and, for nginx and Prometheus, 18180-18199 (CONTAINER_TEST_PORTS, CONTAINER_TEST_LB_PORTS). Leaves nothing
# running; keeps the images, and the stand-ins' tarballs in CONTAINER_TEST_CACHE, for the next
# run.
#   scripts/test-containers.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/testlib.sh

MAVEN_VERSION=3.9.16
# Host ports, on 127.0.0.1 only: the first free ones from these ranges.
PORTS=${CONTAINER_TEST_PORTS:-18100-18179}
LB_PORTS=${CONTAINER_TEST_LB_PORTS:-18180-18199}
CACHE=${CONTAINER_TEST_CACHE:-/var/cache/inferbench-containers}
PROJECT=ibcontainertest            # compose project, and the prefix of every container name
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
REST_IMAGE=localhost/inferbench-rest
GRPC_IMAGE=localhost/inferbench-grpc
JDK_STANDIN=docker.io/library/maven:3.9-eclipse-temurin-17
JRE_STANDIN=docker.io/library/eclipse-temurin:17-jre
NGINX_STANDIN=docker.io/library/nginx:stable
PROMETHEUS_STANDIN=docker.io/prom/prometheus:v2.53.0
APP_UID_IN_IMAGE=10001
OTHER_UID=18123                    # "the invoking user" of a compose APP_UID run

started=$SECONDS
work=
service_pid=
health_pid=
timings=()

say() { echo "containers: $*"; }

# free_ports FIRST-LAST N: N ports of the range that nothing listens on now.
taken_ports=" "
free_ports() {
  local first=${1%-*} last=${1#*-} n=$2 port found=0 listening
  listening=$(ss -Htln 2>/dev/null | awk '{print $4}' | sed 's/.*://' | sort -u | tr '\n' ' ')
  for ((port = first; port <= last && found < n; port++)); do
    [[ " $listening $taken_ports " == *" $port "* ]] && continue
    taken_ports+="$port "
    echo "$port"
    found=$((found + 1))
  done
  [ $found -eq "$n" ] || { echo "containers: fewer than $n free ports in $1" >&2; return 1; }
}
die() {
  echo "containers: FAILED: $*" >&2
  exit 1
}

# -- cleanup: everything this test started, also when a step fails --------------------------
compose_down() {
  [ -n "$service_pid" ] && [ -d "$work/tree" ] || return 0
  (cd "$work/tree" && timeout 120 docker-compose --profile scale --profile monitoring down -v --remove-orphans -t 30) >/dev/null 2>&1
}
cleanup() {
  local status=$? name
  trap - EXIT
  [ -n "$health_pid" ] && kill "$health_pid" 2>/dev/null && wait "$health_pid" 2>/dev/null
  if [ -n "$work" ]; then
    compose_down
    for name in $(podman ps -a --format '{{.Names}}' 2>/dev/null | grep "^$PROJECT" || true); do
      podman rm -f -t 10 "$name" >/dev/null 2>&1
    done
    podman volume prune -f --filter "label=com.docker.compose.project=$PROJECT" >/dev/null 2>&1
    if [ -n "$service_pid" ]; then
      kill "$service_pid" 2>/dev/null
      wait "$service_pid" 2>/dev/null
    fi
    rm -rf "$work"
  fi
  [ $status -eq 0 ] || say "FAILED after $((SECONDS - started))s"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# step NAME COMMAND...: runs one step and prints its time.
step() {
  local name=$1 t0=$SECONDS
  shift
  say "== $name"
  "$@" || die "$name"
  timings+=("$(printf '%4ds  %s' $((SECONDS - t0)) "$name")")
  say "   $name: $((SECONDS - t0))s"
}

# -- 0. what it needs -----------------------------------------------------------------------
PACKAGES=(podman crun runc fuse-overlayfs slirp4netns uidmap containernetworking-plugins
  golang-github-containers-common catatonit iptables golang-github-containernetworking-plugin-dnsname
  mmdebstrap docker-compose openssl)

prerequisites() {
  [ "$(id -u)" -eq 0 ] || { echo "containers: run as root (rootful podman; CI runs as root)" >&2; return 1; }
  for jar in server-rest/target/server-rest.jar server-grpc/target/server-grpc.jar client/target/lib; do
    [ -e "$jar" ] || { echo "containers: $jar is missing: run make build" >&2; return 1; }
  done
  local missing=() package
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } >/tmp/test-containers-apt.log 2>&1 \
      || { tail -n 20 /tmp/test-containers-apt.log >&2; return 1; }
    rm -f /tmp/test-containers-apt.log
  fi
  work=$(mktemp -d "${TMPDIR:-/tmp}/test-containers.XXXXXX")
  # podman, less its complaints that no systemd runs the health checks on a timer (the test
  # runs them itself): first on PATH for the whole test.
  mkdir -p "$work/bin"
  cat >"$work/bin/podman" <<EOF
#!/usr/bin/env bash
exec 2> >(grep -v -e 'systemd connection' -e '/run/systemd/private' >&2)
exec $(command -v podman) "\$@"
EOF
  chmod +x "$work/bin/podman"
  export PATH="$work/bin:$PATH"
  local ports
  ports=($(free_ports "$PORTS" 5)) || return 1
  REST_SINGLE=${ports[0]} GRPC_SINGLE=${ports[1]} REST_USER=${ports[2]}
  COMPOSE_REST=${ports[3]} COMPOSE_GRPC=${ports[4]}
  ports=($(free_ports "$LB_PORTS" 5)) || return 1
  LB_REST=${ports[0]} LB_GRPC=${ports[1]} LB_REST_TLS=${ports[2]} LB_GRPC_TLS=${ports[3]}
  PROMETHEUS=${ports[4]}
  # This machine's needs, in a file of the test's own (not /etc/containers): the sandbox
  # cannot raise rlimits (no CAP_SYS_RESOURCE), so containers get limits it may set; and
  # runc, because crun refuses the hybrid cgroup layout.
  cat >"$work/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
EOF
  export CONTAINERS_CONF="$work/containers.conf"
  # Docker's API for docker-compose (and the docker CLI, where present): podman's own service.
  podman system service --time=0 "unix://$work/podman.sock" >"$work/podman-service.log" 2>&1 &
  service_pid=$!
  export DOCKER_HOST="unix://$work/podman.sock"
  local deadline=$((SECONDS + 30))
  until [ -S "$work/podman.sock" ] && curl -sf --unix-socket "$work/podman.sock" http://d/_ping >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] && kill -0 "$service_pid" 2>/dev/null || { cat "$work/podman-service.log" >&2; return 1; }
    sleep 0.2
  done
  # The traffic program, compiled once; the client's lib/ has the stub, grpc-java and the frames.
  javac -d "$work/classes" -cp "client/target/lib/*" scripts/ContainerTraffic.java || return 1
  say "$(podman --version), $(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /'), API at $DOCKER_HOST"
}

# -- 1. stand-in base images ----------------------------------------------------------------
ARCH=$(dpkg --print-architecture)
JVM_DIR=/usr/lib/jvm/java-17-openjdk-$ARCH

# mmdebstrap_image KIND PACKAGES [HOOK...]: $CACHE/standin-KIND.tar, a Debian bookworm root
# file system with the packages and the hooks' changes (reused when present).
mmdebstrap_image() {
  local kind=$1 packages=$2 tar=$CACHE/standin-$1.tar
  shift 2
  [ -s "$tar" ] && return 0
  mkdir -p "$CACHE"
  local hooks=() hook
  for hook in "$@"; do hooks+=("--customize-hook=$hook"); done
  # Temurin's images keep the JDK in /opt/java/openjdk; the Debian one is linked there.
  mmdebstrap --variant=minbase --format=tar --aptopt='Acquire::Check-Valid-Until "false"' \
    --include="$packages" "${hooks[@]}" bookworm "$tar.part" \
    "deb $DEBIAN_MIRROR bookworm main" "deb $DEBIAN_MIRROR bookworm-updates main" \
    >"$work/mmdebstrap-$kind.log" 2>&1 || { tail -n 20 "$work/mmdebstrap-$kind.log" >&2; rm -f "$tar.part"; return 1; }
  mv "$tar.part" "$tar"
}

standin_images() {
  local need_jdk= need_jre= need_nginx= need_prometheus= image
  podman image exists "$JDK_STANDIN" || need_jdk=1
  podman image exists "$JRE_STANDIN" || need_jre=1
  podman image exists "$NGINX_STANDIN" || need_nginx=1
  podman image exists "$PROMETHEUS_STANDIN" || need_prometheus=1
  for image in $JDK_STANDIN $JRE_STANDIN $NGINX_STANDIN $PROMETHEUS_STANDIN; do
    podman image exists "$image" && say "using $image (present: $(podman image inspect --format '{{index .Labels "inferbench.standin"}}' "$image" | grep -q . && echo 'a stand-in from an earlier run' || echo 'not a stand-in'))"
  done
  [ -n "$need_jdk$need_jre$need_nginx$need_prometheus" ] || return 0

  local opt_java="mkdir -p \"\$1/opt/java\" && ln -s $JVM_DIR \"\$1/opt/java/openjdk\""
  local pids=() pid failed=0
  if [ -n "$need_jdk" ]; then
    # Maven from Maven Central through Maven itself, checksums checked (-C).
    local maven_dir=$work/maven
    ./mvnw -N -B -q -C --no-transfer-progress dependency:copy \
      -Dartifact="org.apache.maven:apache-maven:$MAVEN_VERSION:tar.gz:bin" -DoutputDirectory="$maven_dir" \
      >"$work/maven-download.log" 2>&1 || { cat "$work/maven-download.log" >&2; return 1; }
    local maven_tgz=$maven_dir/apache-maven-$MAVEN_VERSION-bin.tar.gz
    # The machine's own certificate authorities too (/usr/local/share/ca-certificates: this
    # network's HTTPS goes through its own), so Maven in the build stage reaches Maven Central.
    mmdebstrap_image jdk openjdk-17-jdk-headless,ca-certificates,ca-certificates-java \
      "$opt_java" \
      "tar -C \"\$1/usr/share\" -xzf '$maven_tgz' && mv \"\$1/usr/share/apache-maven-$MAVEN_VERSION\" \"\$1/usr/share/maven\" && ln -s /usr/share/maven/bin/mvn \"\$1/usr/bin/mvn\"" \
      "cp /usr/local/share/ca-certificates/*.crt \"\$1/usr/local/share/ca-certificates/\" 2>/dev/null; chroot \"\$1\" update-ca-certificates >/dev/null" &
    pids+=($!)
  fi
  if [ -n "$need_jre" ]; then
    mmdebstrap_image jre openjdk-17-jre-headless "$opt_java" &
    pids+=($!)
  fi
  if [ -n "$need_nginx" ]; then
    # As the official image: conf.d/default.conf is the site (compose mounts ours there), logs go
    # to the container's output.
    mmdebstrap_image nginx nginx \
      "rm -f \"\$1/etc/nginx/sites-enabled/default\" && ln -sf /dev/stdout \"\$1/var/log/nginx/access.log\" && ln -sf /dev/stderr \"\$1/var/log/nginx/error.log\"" &
    pids+=($!)
  fi
  if [ -n "$need_prometheus" ]; then
    # As the official image: /bin/prometheus (Debian's /usr is merged), its data in /prometheus,
    # run as nobody; compose mounts the configuration over /etc/prometheus.
    mmdebstrap_image prometheus prometheus \
      "mkdir -p \"\$1/prometheus\" && chown 65534:65534 \"\$1/prometheus\"" &
    pids+=($!)
  fi
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ $failed -eq 0 ] || return 1

  local path=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  local label="inferbench.standin=built from Debian bookworm packages by scripts/test-containers.sh"
  if [ -n "$need_jdk" ]; then
    podman import -q --change "ENV JAVA_HOME=/opt/java/openjdk" --change "ENV PATH=$path" \
      --change "ENV MAVEN_HOME=/usr/share/maven" --change "ENV LANG=C.UTF-8" --change "LABEL $label" \
      --change 'CMD ["mvn"]' "$CACHE/standin-jdk.tar" "$JDK_STANDIN" >/dev/null || return 1
  fi
  if [ -n "$need_jre" ]; then
    podman import -q --change "ENV JAVA_HOME=/opt/java/openjdk" --change "ENV PATH=$path" \
      --change "ENV LANG=C.UTF-8" --change "LABEL $label" \
      --change 'CMD ["jshell"]' "$CACHE/standin-jre.tar" "$JRE_STANDIN" >/dev/null || return 1
  fi
  if [ -n "$need_nginx" ]; then
    podman import -q --change "LABEL $label" --change "EXPOSE 80" --change "STOPSIGNAL SIGQUIT" \
      --change 'CMD ["nginx", "-g", "daemon off;"]' "$CACHE/standin-nginx.tar" "$NGINX_STANDIN" >/dev/null || return 1
  fi
  if [ -n "$need_prometheus" ]; then
    podman import -q --change "LABEL $label" --change "EXPOSE 9090" --change "USER nobody" \
      --change "WORKDIR /prometheus" --change "VOLUME /prometheus" --change 'ENTRYPOINT ["/bin/prometheus"]' \
      --change 'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]' \
      "$CACHE/standin-prometheus.tar" "$PROMETHEUS_STANDIN" >/dev/null || return 1
  fi
  podman run --rm "$JDK_STANDIN" sh -c 'java -version 2>&1 | head -1; mvn -v 2>/dev/null | head -1' | sed 's/^/containers:   build stage: /'
  podman run --rm "$JRE_STANDIN" sh -c 'java -version 2>&1 | head -1; setpriv --version' | sed 's/^/containers:   runtime: /'
}

# -- 2. the images ---------------------------------------------------------------------------
# A copy of the tree as a fresh clone has it (tracked and new files, no target/ or storage/):
# the build context, and the folder compose runs in.
copy_tree() {
  mkdir -p "$work/tree"
  git ls-files -z --cached --others --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null \
    | tar -C "$work/tree" -xf -
  [ -f "$work/tree/Dockerfile.rest" ] && [ ! -e "$work/tree/storage" ]
}

build_images() {
  local dockerfile image healthcheck
  copy_tree || return 1
  for dockerfile in Dockerfile.rest Dockerfile.grpc; do
    image=localhost/inferbench-${dockerfile#Dockerfile.}
    local t0=$SECONDS
    (cd "$work/tree" && podman build --format docker -f "$dockerfile" -t "$image" .) >"$work/build-$dockerfile.log" 2>&1 \
      || { tail -n 40 "$work/build-$dockerfile.log" >&2; return 1; }
    healthcheck=$(podman image inspect --format '{{json .Config.Healthcheck}}' "$image")
    [[ $healthcheck == *--probe* ]] || { echo "$image has no HEALTHCHECK with --probe: $healthcheck" >&2; return 1; }
    say "   $image built from $dockerfile in $((SECONDS - t0))s ($(grep -c 'Using cache' "$work/build-$dockerfile.log") steps from cache), $(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}')"
  done
}

# -- helpers for containers ------------------------------------------------------------------
run_container() {
  podman run -d "$@" >/dev/null
}

# wait_container_healthy NAME LIMIT: runs the image's own HEALTHCHECK (podman healthcheck run:
# there is no systemd here to run it on its interval) until podman says healthy.
wait_container_healthy() {
  local name=$1 limit=$2 deadline=$((SECONDS + $2)) state health
  while :; do
    state=$(podman inspect --format '{{.State.Status}}' "$name" 2>/dev/null)
    if [ "$state" != running ]; then
      echo "$name is $state, not running; its output:" >&2
      podman logs "$name" 2>&1 | tail -n 20 >&2
      return 1
    fi
    podman healthcheck run "$name" >/dev/null 2>&1
    health=$(podman inspect --format '{{.State.Health.Status}}' "$name" 2>/dev/null)
    [ "$health" = healthy ] && return 0
    if [ $SECONDS -ge $deadline ]; then
      echo "$name not healthy after ${limit}s (health: $health); its output:" >&2
      podman logs "$name" 2>&1 | tail -n 20 >&2
      return 1
    fi
    sleep 1
  done
}

# traffic MODE HOST:PORT N [COMMAND...]: the checked requests; prints the saved file names.
traffic() {
  java -cp "$work/classes:client/target/lib/*" ContainerTraffic "$@"
}

# check_saved DIR UID:GID SAVED_LIST: every file the server named is in DIR with its row in
# records.csv, and DIR, the files and records.csv belong to UID:GID.
check_saved() {
  local dir=$1 owner=$2 list=$3 name count=0 rows
  [ -s "$list" ] || { echo "no saved file names in $list" >&2; return 1; }
  [ "$(stat -c %u:%g "$dir")" = "$owner" ] || { echo "$dir belongs to $(stat -c %u:%g "$dir"), not $owner" >&2; return 1; }
  [ -f "$dir/records.csv" ] || { echo "no records.csv in $dir: $(ls -la "$dir")" >&2; return 1; }
  [ "$(stat -c %u:%g "$dir/records.csv")" = "$owner" ] || { echo "$dir/records.csv belongs to $(stat -c %u:%g "$dir/records.csv"), not $owner" >&2; return 1; }
  while read -r name; do
    [ -s "$dir/$name" ] || { echo "$dir/$name is missing or empty" >&2; return 1; }
    [ "$(head -c 3 "$dir/$name" | od -An -tx1 | tr -d ' ')" = ffd8ff ] || { echo "$dir/$name is not a JPEG" >&2; return 1; }
    [ "$(stat -c %u:%g "$dir/$name")" = "$owner" ] || { echo "$dir/$name belongs to $(stat -c %u:%g "$dir/$name"), not $owner" >&2; return 1; }
    grep -q "$name" "$dir/records.csv" || { echo "records.csv has no row for $name" >&2; return 1; }
    count=$((count + 1))
  done < <(sed -n 's/^saved //p' "$list")
  rows=$(($(wc -l <"$dir/records.csv") - 1))
  say "   $dir: $count JPEG(s) as named in the answers, records.csv with $rows row(s), all owned by $owner"
}

# pid1 NAME: "java uid=U gid=G" of the container's PID 1.
pid1() {
  podman exec "$1" sh -c 'echo "$(cat /proc/1/comm) uid=$(awk "/^Uid:/ {print \$2}" /proc/1/status) gid=$(awk "/^Gid:/ {print \$2}" /proc/1/status)"'
}

# -- 3. one container of each image, as the Dockerfiles' comments run them --------------------
single_containers() {
  local kind port name dir
  for kind in rest grpc; do
    name=$PROJECT-$kind
    dir=$work/storage/$kind
    # What docker makes of a missing bind-mount folder: root's, 0755 (podman wants it to exist).
    mkdir -p "$dir"
    [ $kind = rest ] && port=$REST_SINGLE || port=$GRPC_SINGLE
    local inner=8001
    [ $kind = grpc ] && inner=50051
    # The Dockerfile's own example: docker run -p 8001:8001 -v "$PWD/storage/rest:/app/storage" inferbench-rest
    run_container --name "$name" -p "127.0.0.1:$port:$inner" -v "$dir:/app/storage" -e WORKERS=2 \
      "localhost/inferbench-$kind" || return 1
  done
  for kind in rest grpc; do
    local t0=$SECONDS
    wait_container_healthy "$PROJECT-$kind" 120 || return 1
    say "   $PROJECT-$kind healthy after $((SECONDS - t0))s (its HEALTHCHECK: $(podman inspect --format '{{join .Config.Healthcheck.Test " "}}' "$PROJECT-$kind" 2>/dev/null))"
    local who
    who=$(pid1 "$PROJECT-$kind")
    [ "$who" = "java uid=$APP_UID_IN_IMAGE gid=$APP_UID_IN_IMAGE" ] || { echo "$PROJECT-$kind: PID 1 is '$who', expected java as $APP_UID_IN_IMAGE" >&2; return 1; }
    say "   $PROJECT-$kind: PID 1 is $who"
  done
  traffic rest "127.0.0.1:$REST_SINGLE" 1 >"$work/rest-saved.txt" || return 1
  traffic grpc "127.0.0.1:$GRPC_SINGLE" 1 >"$work/grpc-saved.txt" || return 1
  check_saved "$work/storage/rest" "$APP_UID_IN_IMAGE:$APP_UID_IN_IMAGE" "$work/rest-saved.txt" || return 1
  check_saved "$work/storage/grpc" "$APP_UID_IN_IMAGE:$APP_UID_IN_IMAGE" "$work/grpc-saved.txt" || return 1
}

# -- 4. --user: the invoking user's files, and a folder it cannot write ----------------------
explicit_user() {
  local name=$PROJECT-rest-user dir=$work/storage/rest-user
  mkdir -p "$dir" && chown "$OTHER_UID:$OTHER_UID" "$dir"
  run_container --name "$name" --user "$OTHER_UID:$OTHER_UID" -p "127.0.0.1:$REST_USER:8001" \
    -v "$dir:/app/storage" localhost/inferbench-rest || return 1
  wait_container_healthy "$name" 120 || return 1
  local who
  who=$(pid1 "$name")
  [ "$who" = "java uid=$OTHER_UID gid=$OTHER_UID" ] || { echo "$name: PID 1 is '$who', expected java as $OTHER_UID" >&2; return 1; }
  traffic rest "127.0.0.1:$REST_USER" 1 >"$work/rest-user-saved.txt" || return 1
  check_saved "$dir" "$OTHER_UID:$OTHER_UID" "$work/rest-user-saved.txt" || return 1
  podman stop -t 30 "$name" >/dev/null && podman rm "$name" >/dev/null || return 1

  # The same user with a folder that is root's: no server, and a message that says why.
  name=$PROJECT-rest-unwritable dir=$work/storage/rest-unwritable
  mkdir -p "$dir"
  run_container --name "$name" --user "$OTHER_UID:$OTHER_UID" -v "$dir:/app/storage" localhost/inferbench-rest || return 1
  local status
  status=$(timeout 90 podman wait "$name") || { echo "$name still running with an unwritable storage folder" >&2; podman logs "$name" >&2; return 1; }
  local log
  log=$(podman logs "$name" 2>&1)
  if [ "$status" -eq 0 ] || [[ $log != *"is not writable"* ]]; then
    echo "$name: expected a failed start saying the folder is not writable; exit status $status, output:" >&2
    echo "$log" >&2
    return 1
  fi
  say "   unwritable folder: exit status $status at start, \"$(grep -m1 'is not writable' <<<"$log" | cut -c1-150)...\""
  podman rm "$name" >/dev/null
}

# -- 5. docker stop while busy ---------------------------------------------------------------
drain() {
  local kind=$1 stop_command=("${@:2}") name=$PROJECT-$1 port dir=$work/storage/$1 before after
  [ "$kind" = rest ] && port=$REST_SINGLE || port=$GRPC_SINGLE
  before=$(($(wc -l <"$dir/records.csv") - 1))
  traffic "$kind-drain" "127.0.0.1:$port" 4 "${stop_command[@]}" >"$work/$kind-drain.txt" || { podman logs "$name" 2>&1 | tail -n 20 >&2; return 1; }
  local status answered log in_flight
  status=$(podman inspect --format '{{.State.ExitCode}}' "$name")
  log=$(podman logs "$name" 2>&1)
  in_flight=$(sed -n 's/.*stopping; \([0-9]*\) request(s) in flight.*/\1/p' <<<"$log" | head -1)
  answered=$(sed -n 's/^answered //p' "$work/$kind-drain.txt")
  after=$(($(wc -l <"$dir/records.csv") - 1))
  say "   $name: '$(grep -m1 'stopping;' <<<"$log")', then '$(grep -m1 ': stopped' <<<"$log")'; exit status $status"
  [ "$status" = 0 ] || { echo "$name exited with status $status after SIGTERM" >&2; echo "$log" | tail -n 20 >&2; return 1; }
  [ -n "$in_flight" ] && [ "$in_flight" -gt 0 ] || { echo "$name had no request in flight when stopped: this proves nothing; its output:" >&2; echo "$log" | tail -n 20 >&2; return 1; }
  grep -q 'cut off' <<<"$log" && { echo "$name cut requests off" >&2; return 1; }
  [ $((after - before)) -eq "$answered" ] || { echo "$name: $answered answers, but $((after - before)) new rows in records.csv" >&2; return 1; }
  check_saved "$dir" "$APP_UID_IN_IMAGE:$APP_UID_IN_IMAGE" "$work/$kind-drain.txt"
}

drain_both() {
  local docker_stop=(podman stop -t 30)
  # The docker CLI itself where there is one (it talks to podman's API like docker-compose).
  command -v docker >/dev/null 2>&1 && docker version >/dev/null 2>&1 && docker_stop=(docker stop -t 30)
  drain rest "${docker_stop[@]}" "$PROJECT-rest" || return 1
  drain grpc podman stop -t 30 "$PROJECT-grpc" || return 1
  podman rm "$PROJECT-rest" "$PROJECT-grpc" >/dev/null
}

# -- 6. docker-compose up ------------------------------------------------------------------------
# Runs podman healthcheck run on the project's containers every 2 s, as Docker would on each
# HEALTHCHECK's interval: compose's depends_on: service_healthy waits on it.
start_health_loop() {
  (
    while :; do
      for id in $(podman ps -q --filter "label=com.docker.compose.project=$PROJECT" 2>/dev/null); do
        podman healthcheck run "$id" >/dev/null 2>&1
      done
      sleep 2
    done
  ) &
  health_pid=$!
}

compose_env() {
  export COMPOSE_PROJECT_NAME=$PROJECT
  export REST_PORT=$COMPOSE_REST GRPC_PORT=$COMPOSE_GRPC
  export LB_REST_PORT=$LB_REST LB_GRPC_PORT=$LB_GRPC PROMETHEUS_PORT=$PROMETHEUS
  export LB_REST_TLS_PORT=$LB_REST_TLS LB_GRPC_TLS_PORT=$LB_GRPC_TLS
  export WORKERS=1
  unset APP_UID APP_GID
}

compose_up() {
  compose_env
  start_health_loop
  # The README's command, as in a fresh clone (no ./storage yet), as root: the default flow.
  local t0=$SECONDS
  (cd "$work/tree" && docker-compose up --build -d) >"$work/compose-up.log" 2>&1 || { cat "$work/compose-up.log" >&2; return 1; }
  say "   docker-compose up --build -d: $((SECONDS - t0))s (both images rebuilt through the API, from the cache)"
  local service id
  t0=$SECONDS
  for service in rest grpc; do
    id=$(cd "$work/tree" && docker-compose ps -q "$service")
    [ -n "$id" ] || { echo "no $service container" >&2; return 1; }
    wait_container_healthy "$id" 120 || return 1
  done
  say "   both services healthy $((SECONDS - t0))s later: $(cd "$work/tree" && docker-compose ps | tail -n +3 | awk '{print $1}' | tr '\n' ' ')"
  traffic rest "127.0.0.1:$REST_PORT" 2 >"$work/compose-rest.txt" || return 1
  traffic grpc "127.0.0.1:$GRPC_PORT" 2 >"$work/compose-grpc.txt" || return 1
  check_saved "$work/tree/storage/rest" "$APP_UID_IN_IMAGE:$APP_UID_IN_IMAGE" "$work/compose-rest.txt" || return 1
  check_saved "$work/tree/storage/grpc" "$APP_UID_IN_IMAGE:$APP_UID_IN_IMAGE" "$work/compose-grpc.txt" || return 1
  (cd "$work/tree" && docker-compose stop -t 30) >"$work/compose-stop.log" 2>&1 || { cat "$work/compose-stop.log" >&2; return 1; }
  for service in rest grpc; do
    id=$(cd "$work/tree" && docker-compose ps -q "$service")
    local status
    status=$(podman inspect --format '{{.State.ExitCode}}' "$id")
    [ "$status" = 0 ] || { echo "compose $service exited with status $status" >&2; podman logs "$id" 2>&1 | tail >&2; return 1; }
  done
  say "   docker-compose stop: both exited 0"
  (cd "$work/tree" && docker-compose down) >/dev/null 2>&1 || return 1
}

# -- 6b. docker-compose with TLS -------------------------------------------------------------------
TLS_COMPOSE=(docker-compose -f docker-compose.yml -f docker-compose.tls.yml)

compose_tls() {
  compose_env
  [ -n "$health_pid" ] || start_health_loop
  # make certs, as root: the keys are root's, readable by root alone (the entrypoint's copy).
  (cd "$work/tree" && scripts/make-certs.sh certs) >"$work/make-certs.log" 2>&1 || { cat "$work/make-certs.log" >&2; return 1; }
  [ "$(stat -c %a "$work/tree/certs/server-key.pem")" = 600 ] || { echo "make certs left the key readable by others" >&2; return 1; }
  (cd "$work/tree" && "${TLS_COMPOSE[@]}" up -d) >"$work/compose-tls.log" 2>&1 || { cat "$work/compose-tls.log" >&2; return 1; }
  local service id who
  for service in rest grpc; do
    id=$(cd "$work/tree" && docker-compose ps -q "$service")
    [ -n "$id" ] || { echo "no $service container" >&2; return 1; }
    wait_container_healthy "$id" 120 || return 1
    who=$(pid1 "$id")
    [ "$who" = "java uid=$APP_UID_IN_IMAGE gid=$APP_UID_IN_IMAGE" ] || { echo "$service with TLS: PID 1 is '$who'" >&2; return 1; }
    podman logs "$id" 2>&1 | grep -q "TLSv1.3, TLSv1.2 through" || { echo "$service says nothing of TLS:" >&2; podman logs "$id" 2>&1 | tail >&2; return 1; }
    say "   $service: healthy over TLS (its HEALTHCHECK with TLS=1, TLS_CA), PID 1 $who: '$(podman logs "$id" 2>&1 | grep -m1 'TLSv1.3' | cut -c1-110)...'"
  done
  TLS_CA="$work/tree/certs/ca.pem" traffic rest "127.0.0.1:$REST_PORT" 1 >"$work/tls-rest.txt" || return 1
  TLS_CA="$work/tree/certs/ca.pem" traffic grpc "127.0.0.1:$GRPC_PORT" 1 >"$work/tls-grpc.txt" || return 1
  check_saved "$work/tree/storage/rest" "$APP_UID_IN_IMAGE:$APP_UID_IN_IMAGE" "$work/tls-rest.txt" || return 1
  check_saved "$work/tree/storage/grpc" "$APP_UID_IN_IMAGE:$APP_UID_IN_IMAGE" "$work/tls-grpc.txt" || return 1
  if traffic rest "127.0.0.1:$REST_PORT" 1 >/dev/null 2>&1 || traffic grpc "127.0.0.1:$GRPC_PORT" 1 >/dev/null 2>&1; then
    echo "a plaintext client was answered by a TLS port" >&2
    return 1
  fi
  say "   plaintext clients refused by both TLS ports"
  (cd "$work/tree" && "${TLS_COMPOSE[@]}" down -t 30) >/dev/null 2>&1 || return 1
}

# -- 7. the scale profile behind nginx ---------------------------------------------------------

# -- 7. the scale profile behind nginx, and Prometheus ----------------------------------------------
# prometheus_value QUERY: the value of an instant query with a single answer (empty if none).
prometheus_value() {
  curl -s --max-time 10 --data-urlencode "query=$1" "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/query" \
    | sed -n 's/.*"value":\[[^,]*,"\([^"]*\)"\].*/\1/p'
}

# await_prometheus QUERY EXPECTED: until the query answers EXPECTED (it scrapes every 15 s).
await_prometheus() {
  local deadline=$((SECONDS + 90)) value
  until value=$(prometheus_value "$1"); [ "$value" = "$2" ]; do
    [ $SECONDS -lt $deadline ] || { echo "Prometheus answers '$value', not $2, to $1" >&2; return 1; }
    sleep 2
  done
}

# rows ID: saved frames in a replica's own volume.
replica_rows() {
  podman exec "$1" sh -c 'if [ -f /app/storage/records.csv ]; then echo $(($(wc -l < /app/storage/records.csv) - 1)); else echo 0; fi'
}

scale_out() {
  compose_env
  [ -n "$health_pid" ] || start_health_loop
  local t0=$SECONDS
  # The README's command, with 2 replicas of each; with docker-compose.tls.yml, nginx's TLS ports
  # too; and Prometheus beside them.
  (cd "$work/tree" && "${TLS_COMPOSE[@]}" --profile scale --profile monitoring up -d --build \
    --scale rest-replica=2 --scale grpc-replica=2 lb prometheus) >"$work/compose-scale.log" 2>&1 \
    || { cat "$work/compose-scale.log" >&2; return 1; }
  say "   docker-compose -f docker-compose.yml -f docker-compose.tls.yml --profile scale --profile monitoring up -d --build ...: $((SECONDS - t0))s (images from the cache; nginx waited for the replicas' health)"
  local rest_ids grpc_ids lb
  mapfile -t rest_ids < <(cd "$work/tree" && docker-compose --profile scale ps -q rest-replica)
  mapfile -t grpc_ids < <(cd "$work/tree" && docker-compose --profile scale ps -q grpc-replica)
  lb=$(cd "$work/tree" && docker-compose --profile scale ps -q lb)
  [ ${#rest_ids[@]} -eq 2 ] && [ ${#grpc_ids[@]} -eq 2 ] && [ -n "$lb" ] \
    || { echo "expected 2 + 2 replicas and nginx; got ${#rest_ids[@]} + ${#grpc_ids[@]}, lb '$lb'" >&2; return 1; }
  local deadline=$((SECONDS + 30))
  until (exec 3<>"/dev/tcp/127.0.0.1/$LB_REST_PORT") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$LB_GRPC_PORT") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "nginx does not listen on $LB_REST_PORT/$LB_GRPC_PORT" >&2; podman logs "$lb" >&2; return 1; }
    sleep 0.5
  done
  say "   replicas healthy and nginx up: REST 127.0.0.1:$LB_REST_PORT, gRPC 127.0.0.1:$LB_GRPC_PORT"

  local n=20 ra rb ga gb
  traffic rest "127.0.0.1:$LB_REST_PORT" $n >/dev/null || return 1
  traffic grpc "127.0.0.1:$LB_GRPC_PORT" $n >/dev/null || return 1
  ra=$(replica_rows "${rest_ids[0]}") rb=$(replica_rows "${rest_ids[1]}")
  ga=$(replica_rows "${grpc_ids[0]}") gb=$(replica_rows "${grpc_ids[1]}")
  say "   served: REST $ra + $rb, gRPC (one channel) $ga + $gb"
  [ $((ra + rb)) -eq $n ] && [ $((ga + gb)) -eq $n ] || { echo "expected $n saved frames per protocol" >&2; return 1; }
  [ "$ra" -gt 0 ] && [ "$rb" -gt 0 ] || { echo "one REST replica served nothing" >&2; return 1; }
  [ "$ga" -gt 0 ] && [ "$gb" -gt 0 ] || { echo "one gRPC replica served nothing" >&2; return 1; }
  # Prometheus found every target (the replicas by their service name) and counted what they served.
  local job
  # (the rest and grpc services are not started here: scripts/test-metrics.sh scrapes them)
  await_prometheus 'count(up{job="rest-replica"} == 1)' 2 || return 1
  await_prometheus 'count(up{job="grpc-replica"} == 1)' 2 || return 1
  await_prometheus 'sum(inferbench_requests_total{job="rest-replica",outcome="ok"})' $n || return 1
  await_prometheus 'sum(inferbench_requests_total{job="grpc-replica",outcome="ok"})' $n || return 1
  say "   Prometheus ($(curl -s "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/status/buildinfo" | sed -n 's/.*"version":"\([^"]*\)".*/\1/p')): the 2 + 2 replicas up, found by name; inferbench_requests_total $n per protocol over the replicas, their p50 $(prometheus_value 'histogram_quantile(0.5, sum(inferbench_request_duration_seconds_bucket{job="rest-replica"}) by (le))') s (REST) and $(prometheus_value 'histogram_quantile(0.5, sum(inferbench_request_duration_seconds_bucket{job="grpc-replica"}) by (le))') s (gRPC)"

  local status
  for id in "${rest_ids[0]}" "${grpc_ids[0]}"; do
    podman stop -t 30 "$id" >/dev/null || return 1
    status=$(podman inspect --format '{{.State.ExitCode}}' "$id")
    [ "$status" = 0 ] || { echo "replica $id exited with status $status" >&2; return 1; }
  done
  say "   stopped one replica of each (exit status 0)"
  traffic rest "127.0.0.1:$LB_REST_PORT" $n >/dev/null || return 1
  traffic grpc "127.0.0.1:$LB_GRPC_PORT" $n >/dev/null || return 1
  local rb2 gb2
  rb2=$(replica_rows "${rest_ids[1]}") gb2=$(replica_rows "${grpc_ids[1]}")
  say "   then served by the survivors: REST +$((rb2 - rb)), gRPC +$((gb2 - gb))"
  [ $((rb2 - rb)) -eq $n ] && [ $((gb2 - gb)) -eq $n ] || { echo "the surviving replicas did not serve every request" >&2; return 1; }
  TLS_CA="$work/tree/certs/ca.pem" traffic rest "127.0.0.1:$LB_REST_TLS_PORT" 2 >/dev/null || return 1
  TLS_CA="$work/tree/certs/ca.pem" traffic grpc "127.0.0.1:$LB_GRPC_TLS_PORT" 2 >/dev/null || return 1
  say "   nginx's TLS ports: REST https 127.0.0.1:$LB_REST_TLS_PORT and gRPC TLS 127.0.0.1:$LB_GRPC_TLS_PORT answered"
  (cd "$work/tree" && "${TLS_COMPOSE[@]}" --profile scale --profile monitoring down -v -t 30) >/dev/null 2>&1 || return 1
}

step "prerequisites (packages, podman API, traffic program)" prerequisites
step "stand-in base images" standin_images
step "build both images" build_images
step "one container of each: healthy, save, ownership" single_containers
step "--user: own files; unwritable folder" explicit_user
step "docker stop drains" drain_both
step "docker-compose up --build -d" compose_up
step "docker-compose with TLS (docker-compose.tls.yml)" compose_tls
step "scale and monitoring profiles: 2+2 replicas behind nginx, TLS there too, Prometheus" scale_out

say "step times:"
printf 'containers:   %s\n' "${timings[@]}"
say "PASSED in $((SECONDS - started))s"
