#!/usr/bin/env bash
# Starts a plain-HTTP test registry (Debian docker-registry) on 127.0.0.1:5000 only, with a
# berth-owned config and storage under /var/lib/berth-test/registry, unless /v2/ answers.
set -euo pipefail

# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REGISTRY_ADDR="127.0.0.1:5000"
REGISTRY_DIR="$BERTH_STATE_DIR/registry"
REGISTRY_CONFIG="$REGISTRY_DIR/config.yml"
REGISTRY_DATA="$REGISTRY_DIR/data"
REGISTRY_LOG="${BERTH_REGISTRY_LOG:-/var/log/berth-registry.log}"
REGISTRY_PIDFILE="$BERTH_RUN_DIR/registry.pid"
REGISTRY_TIMEOUT="${BERTH_REGISTRY_TIMEOUT:-30}"
DEBIAN_PIDFILE=/var/run/docker-registry.pid

REGISTRY_CONF="# Written by berth scripts/start-registry.sh (test registry, no auth, no TLS)
version: 0.1
log:
  level: info
  fields:
    service: berth-test-registry
storage:
  filesystem:
    rootdirectory: $REGISTRY_DATA
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $REGISTRY_ADDR
  headers:
    X-Content-Type-Options: [nosniff]"

registry_ok() {
  local code
  code="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 3 "http://$REGISTRY_ADDR/v2/" 2>/dev/null || true)"
  [[ "$code" == "200" ]]
}

# The Debian package ships a service listening on :5000 (all interfaces)
# with an htpasswd setup that does not work out of the box: keep it off.
stop_debian_service() {
  if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
    if systemctl is-active --quiet docker-registry.service 2>/dev/null; then
      log "stopping the Debian docker-registry.service (it would hold port 5000)"
      systemctl stop docker-registry.service || true
    fi
    if systemctl is-enabled --quiet docker-registry.service 2>/dev/null; then
      systemctl disable docker-registry.service >/dev/null 2>&1 || true
    fi
    return 0
  fi
  local pid
  pid="$(read_pidfile "$DEBIAN_PIDFILE")"
  if pid_is "$pid" docker-registry && [[ -x /etc/init.d/docker-registry ]]; then
    log "stopping the Debian docker-registry init service (pid $pid, it would hold port 5000)"
    /etc/init.d/docker-registry stop >/dev/null 2>&1 || true
  fi
}

port_in_use() {
  ss -Hltn "sport = :5000" 2>/dev/null | grep -q .
}

launch_registry() {
  mkdir -p "$REGISTRY_DATA" "$BERTH_RUN_DIR"
  if write_if_changed "$REGISTRY_CONFIG" "$REGISTRY_CONF"; then
    log "wrote $REGISTRY_CONFIG"
  fi
  start_detached "$REGISTRY_LOG" docker-registry serve "$REGISTRY_CONFIG"
  printf '%s\n' "$BERTH_DETACHED_PID" >"$REGISTRY_PIDFILE"
  log "started docker-registry (pid $BERTH_DETACHED_PID); log $REGISTRY_LOG"
  local rc=0
  wait_until "$REGISTRY_TIMEOUT" "$BERTH_DETACHED_PID" registry_ok || rc=$?
  if ((rc != 0)); then
    show_log_tail "$REGISTRY_LOG"
    die "registry did not answer on http://$REGISTRY_ADDR/v2/ (wait result $rc)"
  fi
}

main() {
  require_root
  command -v docker-registry >/dev/null 2>&1 \
    || die "docker-registry not installed; run scripts/install-runtimes.sh --with-test-deps"
  stop_debian_service
  if registry_ok; then
    local pid
    pid="$(read_pidfile "$REGISTRY_PIDFILE")"
    if pid_is "$pid" docker-registry; then
      log "registry already answers on http://$REGISTRY_ADDR (pid $pid)"
    else
      log "a registry not started by this script answers on http://$REGISTRY_ADDR; using it"
    fi
    return 0
  fi
  local own
  own="$(read_pidfile "$REGISTRY_PIDFILE")"
  if pid_is "$own" docker-registry; then
    log "our registry $own does not answer yet; waiting up to ${REGISTRY_TIMEOUT}s"
    wait_until "$REGISTRY_TIMEOUT" "$own" registry_ok && return 0
    pid_is "$own" docker-registry && die "registry $own does not answer; kill $own and rerun"
  fi
  if port_in_use; then
    ss -Hltnp "sport = :5000" >&2 || true
    die "port 5000 is taken by something that is not a working registry"
  fi
  launch_registry
  log "registry ready on http://$REGISTRY_ADDR"
}

main "$@"
