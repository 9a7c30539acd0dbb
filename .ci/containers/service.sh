#!/usr/bin/env bash
# Starts or stops podman's Docker-compatible API on a unix socket, and the loop that runs
# container health checks (podman 4.3 schedules them through systemd timers; there is no
# systemd here, so without the loop a container's health stays "starting" for ever).
#   source <(bash .ci/containers/service.sh start)   prints the env the tests need
#   bash .ci/containers/service.sh stop
set -euo pipefail
state=${WORKBOOK_CONTAINERS_STATE:-/run/workbook-containers}
socket="$state/podman.sock"

case "${1:-}" in
  start)
    mkdir -p "$state"
    if [[ ! -S $socket ]] || ! curl -sf --unix-socket "$socket" http://d/_ping >/dev/null 2>&1; then
      rm -f "$socket"
      nohup podman system service --time=0 "unix://$socket" >"$state/service.log" 2>&1 &
      echo $! >"$state/service.pid"
      nohup bash "$(dirname "$0")/health-loop.sh" >/dev/null 2>&1 &
      echo $! >"$state/health.pid"
      for _ in $(seq 1 50); do curl -sf --unix-socket "$socket" http://d/_ping >/dev/null 2>&1 && break; sleep 0.2; done
    fi
    echo "export DOCKER_HOST=unix://$socket"
    ;;
  stop)
    for pidfile in "$state/health.pid" "$state/service.pid"; do
      [[ -f $pidfile ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
      rm -f "$pidfile"
    done
    rm -f "$socket"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
