# Shared by the deployment checks (sourced, not run): loopback ports and server processes
# with bounded waits, so a check can never hang.

# A loopback port nothing answers on now. (Servers cannot all use port 0 here: nginx needs
# their ports written into its configuration before they start.)
free_port() {
  local port tries=0
  while [ $tries -lt 100 ]; do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
    tries=$((tries + 1))
  done
  echo "no free loopback port found" >&2
  return 1
}

# wait_healthy PID LIMIT_SECONDS COMMAND...: runs COMMAND (a health probe) every half second
# until it succeeds; fails at once if PID exits, or after LIMIT_SECONDS.
wait_healthy() {
  local pid=$1 limit=$2 deadline
  shift 2
  deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "process $pid exited before it was healthy" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "process $pid not healthy after ${limit}s (probe: $*)" >&2
      return 1
    fi
    sleep 0.5
  done
}

# stop_process PID [LIMIT_SECONDS]: SIGTERM, a bounded wait, SIGKILL if still there. Returns
# the process's exit status (143 is how a JVM reports a clean exit after SIGTERM).
stop_process() {
  local pid=$1 limit=${2:-30} deadline
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return $?; }
  kill -TERM "$pid" 2>/dev/null
  deadline=$((SECONDS + limit))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "process $pid still running ${limit}s after SIGTERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
}

# exited_cleanly STATUS: 0, or 143 (terminated by the SIGTERM it was sent, after its hooks ran).
exited_cleanly() {
  [ "$1" -eq 0 ] || [ "$1" -eq 143 ]
}
