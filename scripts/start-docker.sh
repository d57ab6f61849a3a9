#!/usr/bin/env bash
# Starts dockerd detached (log /var/log/berth-dockerd.log) unless its socket already
# answers /_ping; clears stale pid files, waits (bounded) until ready, checks `docker info`.
set -euo pipefail

# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Overridable so a second, throw-away daemon can be run next to the main one.
DOCKER_SOCK="${BERTH_DOCKER_SOCK:-/var/run/docker.sock}"
DOCKER_PIDFILE="${BERTH_DOCKER_PIDFILE:-/var/run/docker.pid}"
DOCKER_EXEC_ROOT="${BERTH_DOCKER_EXEC_ROOT:-/var/run/docker}"
DOCKER_DATA_ROOT="${BERTH_DOCKER_DATA_ROOT:-/var/lib/docker}"
DOCKER_LOG="${BERTH_DOCKER_LOG:-/var/log/berth-dockerd.log}"
DOCKER_TIMEOUT="${BERTH_DOCKER_TIMEOUT:-60}"
# Extra dockerd flags, whitespace separated (e.g. "--iptables=false --bridge=none").
read -r -a DOCKER_EXTRA_ARGS <<<"${BERTH_DOCKERD_EXTRA_ARGS:-}"

docker_cli() {
  docker --host "unix://$DOCKER_SOCK" "$@"
}

# A dockerd or containerd pid file whose process is gone (or was reused by
# an unrelated process) makes dockerd refuse to start or wait for a
# containerd that never answers: remove such files.
clear_stale_pidfiles() {
  local pid ctr_pidfile="$DOCKER_EXEC_ROOT/containerd/containerd.pid"
  pid="$(read_pidfile "$DOCKER_PIDFILE")"
  if [[ -e "$DOCKER_PIDFILE" ]] && ! pid_is "$pid" dockerd; then
    log "removing stale $DOCKER_PIDFILE (pid ${pid:-none} is not a running dockerd)"
    rm -f "$DOCKER_PIDFILE"
  fi
  pid="$(read_pidfile "$ctr_pidfile")"
  if [[ -e "$ctr_pidfile" ]] && ! pid_is "$pid" containerd; then
    log "removing stale $ctr_pidfile (pid ${pid:-none} is not a running containerd)"
    rm -f "$ctr_pidfile"
  elif [[ -e "$ctr_pidfile" ]]; then
    log "containerd $pid from an earlier dockerd is still running; dockerd will reuse it"
  fi
}

# launch_dockerd [EXTRA_FLAG...] -> 0 when ready, 2 when dockerd exited, 1 on timeout.
launch_dockerd() {
  local -a args=(
    --host "unix://$DOCKER_SOCK"
    --pidfile "$DOCKER_PIDFILE"
    --exec-root "$DOCKER_EXEC_ROOT"
    --data-root "$DOCKER_DATA_ROOT"
  )
  args+=("${DOCKER_EXTRA_ARGS[@]}" "$@")
  mkdir -p "$(dirname "$DOCKER_SOCK")"
  : >>"$DOCKER_LOG"
  local log_start
  log_start="$(wc -l <"$DOCKER_LOG")"
  start_detached "$DOCKER_LOG" dockerd "${args[@]}"
  log "started dockerd (pid $BERTH_DETACHED_PID) ${args[*]}; log $DOCKER_LOG"
  local rc=0
  wait_until "$DOCKER_TIMEOUT" "$BERTH_DETACHED_PID" unix_ping "$DOCKER_SOCK" || rc=$?
  LAST_LOG_LINES="$(tail -n "+$((log_start + 1))" "$DOCKER_LOG")"
  return "$rc"
}

start_dockerd() {
  local pid rc=0
  pid="$(read_pidfile "$DOCKER_PIDFILE")"
  if pid_is "$pid" dockerd; then
    log "dockerd $pid is running but $DOCKER_SOCK does not answer yet; waiting up to ${DOCKER_TIMEOUT}s"
    wait_until "$DOCKER_TIMEOUT" "$pid" unix_ping "$DOCKER_SOCK" || rc=$?
    if ((rc == 0)); then
      return 0
    fi
    if ((rc == 1)); then
      show_log_tail "$DOCKER_LOG"
      die "dockerd $pid does not answer on $DOCKER_SOCK; stop it (kill $pid) and rerun"
    fi
    log "dockerd $pid exited meanwhile; starting a new one"
    rc=0
  fi
  clear_stale_pidfiles
  launch_dockerd || rc=$?
  if ((rc == 0)); then
    return 0
  fi
  if ((rc == 2)) && grep -qi 'iptables' <<<"$LAST_LOG_LINES" \
    && [[ " ${DOCKER_EXTRA_ARGS[*]} " != *" --iptables=false "* ]]; then
    show_log_tail "$DOCKER_LOG"
    log "WARNING: dockerd failed with iptables enabled; retrying with --iptables=false" \
      "(no NAT/port publishing, internal networks are NOT isolated)"
    clear_stale_pidfiles
    rc=0
    launch_dockerd --iptables=false --ip-masq=false || rc=$?
    ((rc == 0)) && return 0
  fi
  show_log_tail "$DOCKER_LOG"
  if ((rc == 2)); then
    die "dockerd exited before answering on $DOCKER_SOCK"
  fi
  die "dockerd did not answer on $DOCKER_SOCK within ${DOCKER_TIMEOUT}s"
}

main() {
  require_root
  command -v dockerd >/dev/null 2>&1 || die "dockerd not installed; run scripts/install-runtimes.sh"
  command -v docker >/dev/null 2>&1 || die "docker CLI not installed; run scripts/install-runtimes.sh"
  command -v curl >/dev/null 2>&1 || die "curl not installed; run scripts/install-runtimes.sh"
  if unix_ping "$DOCKER_SOCK"; then
    log "dockerd already answers on $DOCKER_SOCK"
  else
    start_dockerd
  fi
  local info
  info="$(docker_cli info --format '{{.ServerVersion}} driver={{.Driver}} cgroup={{.CgroupDriver}}/v{{.CgroupVersion}}' 2>&1)" \
    || die "docker info failed: $info"
  log "docker info: $info"
}

main "$@"
