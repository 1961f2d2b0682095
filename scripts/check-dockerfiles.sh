#!/usr/bin/env bash
# What a Docker build and a container start would need, checked without Docker (CI has no
# engine). For each Dockerfile:
#  - every COPY source exists in the repository and is not excluded by .dockerignore;
#  - the first layer (the COPYs before the first RUN) has the pom.xml of every module pom.xml
#    lists: Maven reads them all, even to build one module;
#  - every RUN in the build stage is "./build.sh package <module>" with a real module;
#  - every file the runtime stage copies from the build exists after build.sh;
#  - the server does not run as root: a non-root USER, or an ENTRYPOINT script from the
#    repository that drops root with setpriv (deploy/container/entrypoint.sh; it is checked
#    for syntax here, and run for real by scripts/test-containers.sh);
#  - the volume is STORAGE_DIR, BIND_ADDRESS is 0.0.0.0 (a published port reaches the server),
#    EXPOSE is the server's default port (from its --help);
#  - rehearsal: the copied files are laid out as in the image (/app -> a temp dir), the
#    ENTRYPOINT (less the privilege-dropping script) is run with the image's ENV, and the HEALTHCHECK command must fail before it
#    starts and pass once it is up; then the server must stop cleanly on SIGTERM.
#   scripts/check-dockerfiles.sh [Dockerfile ...]     (default: Dockerfile.rest Dockerfile.grpc)
# Run after the jars are built (make build, or make test).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/testlib.sh

STARTUP_LIMIT=90
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && stop_process "$server" 10 >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failures=0
fail() {
  echo "check-dockerfiles: $dockerfile: $*" >&2
  failures=$((failures + 1))
}

# One instruction per line: comments dropped, continuation lines joined.
instructions() {
  sed -e '/^[[:space:]]*#/d' "$1" | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' | sed -e '/^[[:space:]]*$/d'
}

# ["a", "b"] -> a, b one per line (the exec form; our arrays hold no escaped quotes).
exec_words() {
  local array=${1#*[}
  array=${array%]*}
  grep -o '"[^"]*"' <<<"$array" | sed -e 's/^"//' -e 's/"$//'
}

# Docker's .dockerignore, closely enough: a pattern excludes a path if it matches the path or
# a parent of it; "**/" also matches at the top. ("*" crossing "/" only makes this stricter.)
ignored() {
  local path=$1 pattern p
  [ -f .dockerignore ] || return 1
  while IFS= read -r pattern; do
    pattern=${pattern%/}
    case $pattern in ''|'#'*|'!'*) continue ;; esac
    p=$path
    while :; do
      # shellcheck disable=SC2053 # the pattern is a glob on purpose
      [[ $p == $pattern ]] && return 0
      [[ $pattern == '**/'* && $p == ${pattern#'**/'} ]] && return 0
      [[ $p == */* ]] || break
      p=${p%/*}
    done
  done < .dockerignore
  return 1
}

modules=$(sed -n 's:.*<module>\(.*\)</module>.*:\1:p' pom.xml)

check() {
  dockerfile=$1
  local image="$work/$(basename "$dockerfile")" stage=0 build_stage= build_dir=/ keyword args
  local entrypoint=() healthcheck=() env=() expose= user= volume= storage= bind= sources=0 word
  local first_layer=() layer1=1 module
  local -A script_of=()   # a file COPYed from the repository -> its path in the image
  local failures_before=$failures
  rm -rf "$image"
  mkdir -p "$image"
  [ -f "$dockerfile" ] || { fail "no such file"; return; }

  while read -r keyword args; do
    case ${keyword^^} in
      FROM)
        stage=$((stage + 1))
        [ $stage -eq 1 ] && build_stage=${args##* [Aa][Ss] } ;;
      WORKDIR)
        [ $stage -eq 1 ] && build_dir=$args ;;
      COPY)
        local from= words
        read -ra words <<<"$args"
        if [[ ${words[0]} == --from=* ]]; then
          from=${words[0]#--from=}
          words=("${words[@]:1}")
        fi
        local dest=${words[${#words[@]}-1]} src
        for src in "${words[@]:0:${#words[@]}-1}"; do
          if [ -z "$from" ]; then
            sources=$((sources + 1))
            src=${src%/}
            [ $stage -eq 1 ] && [ $layer1 -eq 1 ] && first_layer+=("$src")
            if [ $stage -gt 1 ]; then
              if [[ $dest == */ ]]; then script_of[$dest${src##*/}]=$src; else script_of[$dest]=$src; fi
            fi
            if [ ! -e "$src" ]; then
              fail "COPY $src: no such file or directory in the repository"
            elif ignored "$src"; then
              fail "COPY $src: excluded from the build context by .dockerignore"
            fi
          elif [ "$from" = "$build_stage" ]; then
            local built=${src#"${build_dir%/}/"}
            if [ ! -e "$built" ]; then
              fail "COPY --from=$from $src: $built does not exist after build.sh"
            elif [[ $dest == */ ]]; then
              mkdir -p "$image$dest" && cp -R "$built" "$image$dest"
            else
              mkdir -p "$(dirname "$image$dest")" && cp -R "$built" "$image$dest"
            fi
          else
            fail "COPY --from=$from: unknown stage (the build stage is '$build_stage')"
          fi
        done ;;
      RUN)
        [ $stage -eq 1 ] && layer1=0
        if [ $stage -eq 1 ]; then
          local run
          read -ra run <<<"$args"
          if [ "${run[0]}" != ./build.sh ] || [ "${run[1]:-}" != package ] || [ ${#run[@]} -ne 3 ]; then
            fail "RUN $args: the build stage should only run ./build.sh package <module>"
          elif [ ! -x build.sh ]; then
            fail "RUN $args: build.sh is missing or not executable"
          elif ! grep -qx "${run[2]}" <<<"$modules"; then
            fail "RUN $args: '${run[2]}' is not a module of pom.xml ($(echo $modules))"
          fi
        fi ;;
      ENV)
        [ $stage -gt 1 ] || continue   # the build stage's ENV is for build.sh, not the server
        local value=${args#*=}
        value=${value#\"}
        value=${value%\"}
        env+=("${args%%=*}=$value")
        [ "${args%%=*}" = STORAGE_DIR ] && storage=$value
        [ "${args%%=*}" = BIND_ADDRESS ] && bind=$value ;;
      EXPOSE) expose=$args ;;
      USER) user=$args ;;
      VOLUME) volume=$args ;;
      HEALTHCHECK) mapfile -t healthcheck < <(exec_words "${args#*CMD }") ;;
      ENTRYPOINT) mapfile -t entrypoint < <(exec_words "$args") ;;
    esac
  done < <(instructions "$dockerfile")

  [ $sources -gt 0 ] || fail "no COPY from the repository"
  for module in $modules; do
    printf '%s\n' "${first_layer[@]}" | grep -qx "$module/pom.xml" \
      || fail "the first layer does not COPY $module/pom.xml: Maven needs the pom of every module in pom.xml ($(echo $modules)); add 'COPY $module/pom.xml $module/' before the first RUN"
  done
  [ -n "$storage" ] && [ "$volume" = "$storage" ] || fail "VOLUME '$volume' is not STORAGE_DIR '$storage'"
  [ "$bind" = 0.0.0.0 ] || fail "ENV BIND_ADDRESS is '$bind', not 0.0.0.0: the servers bind 127.0.0.1 by default, which a published port cannot reach"
  [ ${#entrypoint[@]} -gt 0 ] || { fail "no exec-form ENTRYPOINT"; return; }
  # The server must not run as root: either USER says so, or the ENTRYPOINT is a script from
  # the repository that drops root (setpriv) before it execs the rest of the ENTRYPOINT.
  local wrapper=${script_of[${entrypoint[0]}]:-}
  if [ -n "$wrapper" ]; then
    if [ ! -x "$wrapper" ]; then
      fail "ENTRYPOINT script $wrapper is not executable (COPY keeps the mode: chmod +x it, and git add it)"
    elif ! sh -n "$wrapper"; then
      fail "ENTRYPOINT script $wrapper has a syntax error"
    elif ! grep -q 'exec setpriv --reuid' "$wrapper" || ! grep -q '^exec "\$@"' "$wrapper"; then
      fail "ENTRYPOINT script $wrapper should drop root with 'exec setpriv --reuid ...' and otherwise 'exec \"\$@\"'"
    fi
    entrypoint=("${entrypoint[@]:1}")
    [ ${#entrypoint[@]} -gt 0 ] || { fail "the ENTRYPOINT script is given no server command"; return; }
  else
    case $user in ''|root|0|0:*|root:*) fail "USER '$user': the runtime stage should run as a non-root user, or start through a script that drops root (deploy/container/entrypoint.sh)" ;; esac
  fi
  [ ${#healthcheck[@]} -gt 0 ] || { fail "no exec-form HEALTHCHECK CMD"; return; }
  [[ " ${healthcheck[*]} " == *" --probe "* ]] || fail "the HEALTHCHECK does not use the server's --probe"
  [ $failures -eq "$failures_before" ] || return

  # The commands as the image would run them, with /app moved into the temp layout.
  for word in "${!entrypoint[@]}"; do entrypoint[word]=${entrypoint[word]//\/app\//$image/app/}; done
  for word in "${!healthcheck[@]}"; do healthcheck[word]=${healthcheck[word]//\/app\//$image/app/}; done
  for word in "${!env[@]}"; do env[word]=${env[word]//\/app\//$image/app/}; env[word]=${env[word]/%\/app/$image/app}; done
  for word in "${entrypoint[@]}" "${healthcheck[@]}"; do
    if [[ $word == "$image"/* ]] && [ ! -e "$word" ]; then
      fail "${word#"$image"} is used by ENTRYPOINT or HEALTHCHECK, but no COPY puts it there"
    fi
  done
  [ $failures -eq "$failures_before" ] || return

  local help
  if ! help=$(timeout 60 env "${env[@]}" "${entrypoint[@]}" --help 2>&1); then
    fail "the ENTRYPOINT does not run (with --help): $(tail -n 3 <<<"$help")"
  elif [[ $help != *"(PORT, default $expose)"* ]]; then
    fail "EXPOSE $expose is not the server's default port; its --help says: $(grep -m1 -- '--port N ' <<<"$help")"
  fi

  local port log="$work/server.log" started=$SECONDS status
  port=$(free_port) || { fail "no free port"; return; }
  local run_env=("${env[@]}" "PORT=$port" "BIND_ADDRESS=127.0.0.1" "WORKERS=1")
  if env "${run_env[@]}" "${healthcheck[@]}" >/dev/null 2>&1; then
    fail "the HEALTHCHECK passes with no server running: it cannot tell a dead container"
  fi
  (cd "$image/app" && exec env "${run_env[@]}" "${entrypoint[@]}") >"$log" 2>&1 &
  server=$!
  if ! wait_healthy "$server" "$STARTUP_LIMIT" env "${run_env[@]}" "${healthcheck[@]}"; then
    fail "the HEALTHCHECK never passed against the ENTRYPOINT's server (PORT=$port). Its log:"
    sed 's/^/    /' "$log" >&2
  elif [ ! -d "${storage//\/app\//$image/app/}" ]; then
    fail "the server did not create STORAGE_DIR $storage"
  fi
  stop_process "$server" 30
  status=$?
  server=
  exited_cleanly $status || fail "the server exited with status $status after SIGTERM"
  [ $failures -eq "$failures_before" ] && echo "check-dockerfiles: $dockerfile: OK ($sources COPY sources, $(ls "$image/app/lib" | wc -l) jars in /app/lib, healthy after $((SECONDS - started))s on EXPOSE-default port $expose, stopped with status $status)"
}

[ $# -gt 0 ] || set -- Dockerfile.rest Dockerfile.grpc
for file in "$@"; do
  check "$file"
done
if [ $failures -gt 0 ]; then
  echo "check-dockerfiles: $failures problem(s)" >&2
  exit 1
fi
