#!/usr/bin/env bash
# One-stop setup: installs packages and starts dockerd (runc, runsc, conmon and nftables for the
# oci backend need no daemon); with --with-test-deps also the podman service, the 127.0.0.1:5000
# test registry and a test sshd on 127.0.0.1:2222. Idempotent; prints one ready line per component.
set -euo pipefail

# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
  printf 'usage: %s [--with-test-deps]\n' "$(basename "$0")" >&2
  exit 2
}

docker_summary() {
  local sock="${BERTH_DOCKER_SOCK:-/var/run/docker.sock}" version
  version="$(docker --host "unix://$sock" version --format '{{.Server.Version}}' 2>/dev/null || true)"
  log "docker ${version:-?} ready on $sock"
}

podman_summary() {
  local sock="${BERTH_PODMAN_SOCK:-/run/podman/podman.sock}" version
  version="$(curl -fsS --max-time 5 --unix-socket "$sock" http://d/version 2>/dev/null \
    | sed -n 's/^{.*"Name":"Podman Engine","Version":"\([^"]*\)".*/\1/p' || true)"
  log "podman ${version:-?} ready on $sock (Docker API compat)"
}

registry_summary() {
  local version
  version="$(docker-registry --version 2>/dev/null | awk '{print $3}' || true)"
  log "registry ${version:-?} ready on http://127.0.0.1:5000 (plain HTTP)"
}

oci_summary() {
  log "oci backend: $(runc --version 2>/dev/null | head -n 1 || echo 'runc missing'), conmon $(conmon --version 2>/dev/null | awk 'NR==1{print $3}' || echo missing)"
}

main() {
  local with_test=""
  while (($#)); do
    case "$1" in
      --with-test-deps) with_test=1 ;;
      *) usage ;;
    esac
    shift
  done
  require_root
  if [[ -n "$with_test" ]]; then
    "$SCRIPTS_DIR/install-runtimes.sh" --with-test-deps
  else
    "$SCRIPTS_DIR/install-runtimes.sh"
  fi
  "$SCRIPTS_DIR/start-docker.sh"
  if [[ -n "$with_test" ]]; then
    "$SCRIPTS_DIR/start-podman.sh"
    "$SCRIPTS_DIR/start-registry.sh"
    "$SCRIPTS_DIR/start-sshd.sh"
  fi
  docker_summary
  oci_summary
  if [[ -n "$with_test" ]]; then
    podman_summary
    registry_summary
  fi
}

main "$@"
