#!/bin/sh
# The images' entrypoint (Dockerfile.rest, Dockerfile.grpc): runs the server command it is
# given ("java -jar /app/server-....jar") as a non-root user, with a storage directory it can
# write. Done the way the official database images do it:
#
#  - Started as root (the images' default; docker-compose.yml's default too): makes STORAGE_DIR
#    and everything in it the image's user's, inferbench (10001:10001), then drops root with
#    setpriv and execs the server. A bind-mounted host folder (./storage/rest) thus works
#    with no step beforehand, and the frames saved in it belong to 10001:10001 on the host.
#    A TLS key (TLS_KEY) mounted readable by its owner alone, as make certs writes it, is
#    copied for the user into memory (/dev/shm) for this run, and TLS_KEY points at the copy.
#  - Started as any other user (docker run --user, compose's APP_UID/APP_GID, Kubernetes'
#    runAsUser): changes nothing and runs the server as that user. STORAGE_DIR must then be
#    writable by it; if it is not, the server refuses to start (exit status 1) with a message
#    "the storage directory ... is not writable by user ...", instead of failing every save.
#
# Both paths end in exec, twice (this shell, then setpriv): java is PID 1, so the SIGTERM of
# docker stop reaches the JVM itself, which drains in-flight requests and exits 0.
set -eu

app_user=inferbench

if [ "$(id -u)" = 0 ]; then
  storage=${STORAGE_DIR:-/app/storage}
  mkdir -p "$storage"
  # Only what is not the user's yet (a folder of many frames is not rewritten at every start).
  # A failure (a read-only mount, root squashed by NFS) is left to the server's own start-up
  # check, which names the directory and the user.
  if ! find "$storage" \( ! -user "$app_user" -o ! -group "$app_user" \) \
      -exec chown "$app_user:$app_user" {} + 2>/dev/null; then
    echo "entrypoint: could not hand all of $storage to $app_user; the server checks that it can write there" >&2
  fi
  if [ -n "${TLS_KEY:-}" ] && [ -f "$TLS_KEY" ] \
      && ! setpriv --reuid="$app_user" --regid="$app_user" --init-groups -- test -r "$TLS_KEY"; then
    key_dir=$(mktemp -d /dev/shm/inferbench-tls.XXXXXX 2>/dev/null || mktemp -d)
    cp "$TLS_KEY" "$key_dir/key.pem" && chmod 600 "$key_dir/key.pem" && chown -R "$app_user:$app_user" "$key_dir"
    TLS_KEY=$key_dir/key.pem
    export TLS_KEY
  fi
  # Supplementary groups from /etc/group (none but its own); HOME as the user's.
  HOME=$(getent passwd "$app_user" | cut -d: -f6)
  export HOME
  exec setpriv --reuid="$app_user" --regid="$app_user" --init-groups -- "$@"
fi

exec "$@"
