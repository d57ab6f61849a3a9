#!/usr/bin/env bash
# Starts the Berth daemon (./berth daemon) on the default socket /run/berth/berth.sock with the
# data dir /var/lib/berth ($BERTH_DATA_DIR), unless a daemon already answers there. Builds the
# CLI on first use. Usage: scripts/start-daemon.sh [--restart]   (log: /var/log/berth-daemon.log)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$ROOT/scripts/lib.sh"

SOCKET="${BERTH_SOCKET:-$BERTH_RUN_DIR/berth.sock}"
DATA_DIR="${BERTH_DATA_DIR:-/var/lib/berth}"
LOGFILE="${BERTH_DAEMON_LOG:-/var/log/berth-daemon.log}"
PIDFILE="$BERTH_RUN_DIR/berthd.pid"
TIMEOUT="${BERTH_DAEMON_TIMEOUT:-60}"

daemon_ok() {
  unix_http_ok "$SOCKET" /v1/version
}

stop_daemon() {
  local pid
  pid="$(read_pidfile "$PIDFILE")"
  if [[ -n "$pid" ]] && pid_alive "$pid"; then
    log "stopping the Berth daemon (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    wait_until 30 "" bash -c "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
}

main() {
  require_root
  if [[ "${1:-}" == --restart ]]; then
    stop_daemon
  elif daemon_ok; then
    log "Berth daemon already answers on unix://$SOCKET"
    return 0
  fi
  mkdir -p "$BERTH_RUN_DIR" "$DATA_DIR"
  chmod 0700 "$BERTH_RUN_DIR"
  "$ROOT/berth" version >/dev/null # builds the jar (and its class-data archive) before the clock starts
  log "starting the Berth daemon on unix://$SOCKET (data dir $DATA_DIR, log $LOGFILE)"
  start_detached "$LOGFILE" "$ROOT/berth" --data-dir "$DATA_DIR" daemon --socket "$SOCKET"
  echo "$BERTH_DETACHED_PID" >"$PIDFILE"
  if ! wait_until "$TIMEOUT" "$BERTH_DETACHED_PID" daemon_ok; then
    show_log_tail "$LOGFILE"
    die "the Berth daemon did not answer on $SOCKET within ${TIMEOUT}s"
  fi
  log "Berth daemon ready on unix://$SOCKET (pid $BERTH_DETACHED_PID)"
}

main "$@"
