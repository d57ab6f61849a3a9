#!/usr/bin/env bash
# Installs the Debian packages Berth needs (docker engine, runc, busybox; with
# --with-test-deps also podman, a local registry, skopeo, ...). Idempotent, quick when done.
set -euo pipefail

# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REQUIRED_PKGS=(docker.io busybox-static runc conmon ca-certificates curl iptables nftables iproute2 attr)
TEST_PKGS=(podman skopeo docker-registry uidmap umoci apache2-utils openssh-server openssh-client runsc)
# Installed when apt has them (all exist in bookworm; netavark is podman 4.3's network stack).
OPTIONAL_TEST_PKGS=(crun netavark aardvark-dns)

usage() {
  printf 'usage: %s [--with-test-deps]\n' "$(basename "$0")" >&2
  exit 2
}

missing_of() {
  local pkg
  for pkg in "$@"; do
    if ! pkg_installed "$pkg"; then
      printf '%s\n' "$pkg"
    fi
  done
}

main() {
  local with_test=""
  while (($#)); do
    case "$1" in
      --with-test-deps) with_test=1 ;;
      -h | --help) usage ;;
      *) usage ;;
    esac
    shift
  done
  require_root

  local -a wanted=("${REQUIRED_PKGS[@]}") optional=() missing=() missing_optional=() install=()
  if [[ -n "$with_test" ]]; then
    wanted+=("${TEST_PKGS[@]}")
    optional+=("${OPTIONAL_TEST_PKGS[@]}")
  fi
  mapfile -t missing < <(missing_of "${wanted[@]}")
  if ((${#optional[@]})); then
    mapfile -t missing_optional < <(missing_of "${optional[@]}")
  fi
  if ((${#missing[@]} == 0 && ${#missing_optional[@]} == 0)); then
    log "packages already installed: ${wanted[*]}${optional[*]:+ ${optional[*]}}"
    return 0
  fi

  apt_update_once
  local pkg
  for pkg in "${missing[@]}"; do
    pkg_available "$pkg" || die "package $pkg has no installation candidate in apt"
    install+=("$pkg")
  done
  for pkg in "${missing_optional[@]}"; do
    if pkg_available "$pkg"; then
      install+=("$pkg")
    else
      log "optional package $pkg not available, skipping"
    fi
  done
  if ((${#install[@]})); then
    apt_install "${install[@]}"
  fi
  mapfile -t missing < <(missing_of "${wanted[@]}")
  ((${#missing[@]} == 0)) || die "still not installed after apt-get: ${missing[*]}"
  log "installed: ${install[*]}"
}

main "$@"
