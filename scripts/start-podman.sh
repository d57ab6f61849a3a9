#!/usr/bin/env bash
# Writes Berth's podman drop-ins (runc, ulimits, insecure 127.0.0.1:5000) and starts the Docker-
# compatible `podman system service` on /run/podman/podman.sock, detached, unless it answers.
set -euo pipefail

# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PODMAN_SOCK="${BERTH_PODMAN_SOCK:-/run/podman/podman.sock}"
PODMAN_LOG="${BERTH_PODMAN_LOG:-/var/log/berth-podman.log}"
PODMAN_PIDFILE="$BERTH_RUN_DIR/podman.pid"
# The service's temp dir: Podman 4.3's compat API leaves every uploaded archive behind there
# (api_load.tar*, containers/podman#28531), so it gets a dir of its own, emptied at each start.
PODMAN_TMP="${BERTH_PODMAN_TMP:-/var/tmp/berth-podman}"
PODMAN_TIMEOUT="${BERTH_PODMAN_TIMEOUT:-60}"
CONTAINERS_DROPIN=/etc/containers/containers.conf.d/50-berth.conf
REGISTRIES_DROPIN=/etc/containers/registries.conf.d/50-berth.conf

# crun is podman's first choice; Berth tests run on runc (as docker does).
# podman's default nofile ulimit (1048576) exceeds the hard limit of CI
# sandboxes (20000 here), which makes every `podman run` fail in setrlimit.
CONTAINERS_CONF='# Written by berth scripts/start-podman.sh
[engine]
runtime = "runc"

[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]'

# The test registry (scripts/start-registry.sh) speaks plain HTTP.
REGISTRIES_CONF='# Written by berth scripts/start-podman.sh
[[registry]]
location = "127.0.0.1:5000"
insecure = true

[[registry]]
location = "localhost:5000"
insecure = true'

CONFIG_CHANGED=""

write_config() {
  if write_if_changed "$CONTAINERS_DROPIN" "$CONTAINERS_CONF"; then
    log "wrote $CONTAINERS_DROPIN"
    CONFIG_CHANGED=1
  fi
  if write_if_changed "$REGISTRIES_DROPIN" "$REGISTRIES_CONF"; then
    log "wrote $REGISTRIES_DROPIN"
    CONFIG_CHANGED=1
  fi
}

our_service_pid() {
  local pid
  pid="$(read_pidfile "$PODMAN_PIDFILE")"
  if pid_is "$pid" podman; then
    printf '%s' "$pid"
  fi
}

pid_gone() {
  ! pid_alive "$1"
}

stop_our_service() {
  local pid="$1"
  log "restarting our podman service $pid to apply the new configuration"
  kill -TERM "$pid" 2>/dev/null || true
  wait_until 15 "" pid_gone "$pid" || die "podman service $pid did not stop"
  rm -f "$PODMAN_PIDFILE"
}

launch_service() {
  mkdir -p "$(dirname "$PODMAN_SOCK")" "$BERTH_RUN_DIR" "$PODMAN_TMP"
  rm -f "$PODMAN_SOCK"
  find "$PODMAN_TMP" -mindepth 1 -maxdepth 1 -name 'api_load.tar*' -delete
  start_detached "$PODMAN_LOG" env TMPDIR="$PODMAN_TMP" podman system service --time=0 "unix://$PODMAN_SOCK"
  printf '%s\n' "$BERTH_DETACHED_PID" >"$PODMAN_PIDFILE"
  log "started podman system service (pid $BERTH_DETACHED_PID); log $PODMAN_LOG"
  local rc=0
  wait_until "$PODMAN_TIMEOUT" "$BERTH_DETACHED_PID" unix_ping "$PODMAN_SOCK" || rc=$?
  if ((rc != 0)); then
    show_log_tail "$PODMAN_LOG"
    die "podman service did not answer /_ping on $PODMAN_SOCK (wait result $rc)"
  fi
}

ensure_service() {
  local pid
  pid="$(our_service_pid)"
  if unix_ping "$PODMAN_SOCK"; then
    if [[ -z "$CONFIG_CHANGED" ]]; then
      log "podman service already answers on $PODMAN_SOCK"
      return 0
    fi
    if [[ -z "$pid" ]]; then
      log "WARNING: configuration changed but the podman service on $PODMAN_SOCK was not" \
        "started by this script; restart it to apply $CONTAINERS_DROPIN"
      return 0
    fi
    stop_our_service "$pid"
  elif [[ -n "$pid" ]]; then
    log "podman service $pid does not answer; waiting up to ${PODMAN_TIMEOUT}s"
    if wait_until "$PODMAN_TIMEOUT" "$pid" unix_ping "$PODMAN_SOCK"; then
      return 0
    fi
    pid_is "$pid" podman && die "podman service $pid does not answer on $PODMAN_SOCK; kill $pid and rerun"
  fi
  launch_service
}

verify_version() {
  local body
  body="$(curl -fsS --max-time 10 --unix-socket "$PODMAN_SOCK" http://d/version)" \
    || die "GET /version on $PODMAN_SOCK failed"
  [[ "$body" == *'"Name":"Podman Engine"'* ]] \
    || die "$PODMAN_SOCK does not identify as Podman Engine: $body"
  PODMAN_VERSION="$(sed -n 's/^{.*"Name":"Podman Engine","Version":"\([^"]*\)".*/\1/p' <<<"$body")"
}

# Imports a busybox rootfs and runs a container: proves runc + ulimits work.
verify_run() {
  local tar image=localhost/berth-selfcheck:latest out
  tar="$(mktemp --suffix=.tar)"
  make_busybox_rootfs_tar "$tar"
  podman import --quiet "$tar" "$image" >/dev/null || die "podman import failed"
  rm -f "$tar"
  out="$(podman run --rm "$image" /bin/sh -c 'echo ok' 2>&1)" || {
    podman rmi -f "$image" >/dev/null 2>&1 || true
    die "podman run failed: $out"
  }
  podman rmi -f "$image" >/dev/null 2>&1 || true
  [[ "$out" == "ok" ]] || die "podman run printed '$out' instead of 'ok'"
  log "podman run of an imported busybox image works"
}

main() {
  require_root
  command -v podman >/dev/null 2>&1 || die "podman not installed; run scripts/install-runtimes.sh --with-test-deps"
  write_config
  ensure_service
  verify_version
  if [[ -z "${BERTH_SKIP_SELFCHECK:-}" ]]; then
    verify_run
  fi
  log "podman ${PODMAN_VERSION:-?} answers on $PODMAN_SOCK"
}

main "$@"
