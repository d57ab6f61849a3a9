#!/usr/bin/env bash
# Starts a dedicated sshd for the ssh transport tests on 127.0.0.1:2222 only, with its own
# config, host key, client key pair, authorized_keys and known_hosts under
# /var/lib/berth-test/ssh. Never touches /etc/ssh/sshd_config or root's ~/.ssh: the keys it
# generates are accepted by this sshd alone. Key authentication only. Idempotent.
set -euo pipefail

# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SSHD_ADDR=127.0.0.1
SSHD_PORT=2222
SSHD_DIR="$BERTH_STATE_DIR/ssh"
SSHD_CONFIG="$SSHD_DIR/sshd_config"
SSHD_HOST_KEY="$SSHD_DIR/ssh_host_ed25519_key"
SSHD_PIDFILE="$SSHD_DIR/sshd.pid"
CLIENT_KEY="$SSHD_DIR/id_ed25519"
AUTHORIZED_KEYS="$SSHD_DIR/authorized_keys"
KNOWN_HOSTS="$SSHD_DIR/known_hosts"
SSHD_LOG="${BERTH_SSHD_LOG:-/var/log/berth-sshd.log}"
SSHD_TIMEOUT="${BERTH_SSHD_TIMEOUT:-30}"
SSHD_BIN=/usr/sbin/sshd

# MaxSessions: the transport multiplexes every call over one connection, and the Debian
# default (10) would refuse the 11th concurrent call.
SSHD_CONF="# Written by berth scripts/start-sshd.sh (test sshd: key auth only, 127.0.0.1 only)
Port $SSHD_PORT
ListenAddress $SSHD_ADDR
HostKey $SSHD_HOST_KEY
PidFile $SSHD_PIDFILE
AuthorizedKeysFile $AUTHORIZED_KEYS
AllowUsers root
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowAgentForwarding no
AllowTcpForwarding no
X11Forwarding no
PermitTunnel no
PrintMotd no
MaxSessions 64
MaxStartups 32:30:64
LogLevel INFO"

# ssh_client_ok -> 0 when a key-authenticated login with our client key and known_hosts works.
ssh_client_ok() {
  [[ -r "$CLIENT_KEY" && -r "$KNOWN_HOSTS" ]] || return 1
  ssh -F none -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes \
    -o ConnectTimeout=3 -o LogLevel=ERROR -o UserKnownHostsFile="$KNOWN_HOSTS" \
    -i "$CLIENT_KEY" -p "$SSHD_PORT" -l root "$SSHD_ADDR" true </dev/null >/dev/null 2>&1
}

port_in_use() {
  ss -Hltn "sport = :$SSHD_PORT" 2>/dev/null | grep -q .
}

# Keys are generated once; the files derived from them are rewritten only when they differ.
ensure_keys() {
  mkdir -p "$SSHD_DIR"
  chmod 0700 "$SSHD_DIR"
  if [[ ! -s "$SSHD_HOST_KEY" ]]; then
    rm -f "$SSHD_HOST_KEY" "$SSHD_HOST_KEY.pub"
    ssh-keygen -q -t ed25519 -N '' -C berth-test-sshd-host -f "$SSHD_HOST_KEY"
    log "generated host key $SSHD_HOST_KEY"
  fi
  if [[ ! -s "$CLIENT_KEY" ]]; then
    rm -f "$CLIENT_KEY" "$CLIENT_KEY.pub"
    ssh-keygen -q -t ed25519 -N '' -C berth-test-client -f "$CLIENT_KEY"
    log "generated client key $CLIENT_KEY"
  fi
  # restrict: no pty, no forwarding of any kind; plain command execution only.
  if write_if_changed "$AUTHORIZED_KEYS" "restrict $(cat "$CLIENT_KEY.pub")"; then
    log "wrote $AUTHORIZED_KEYS"
  fi
  chmod 0600 "$AUTHORIZED_KEYS"
  local host_key
  host_key="$(cut -d' ' -f1,2 "$SSHD_HOST_KEY.pub")"
  if write_if_changed "$KNOWN_HOSTS" "[$SSHD_ADDR]:$SSHD_PORT $host_key"; then
    log "wrote $KNOWN_HOSTS"
  fi
}

launch_sshd() {
  if write_if_changed "$SSHD_CONFIG" "$SSHD_CONF"; then
    log "wrote $SSHD_CONFIG"
  fi
  # Privilege separation needs this empty directory (normally made by the Debian service).
  mkdir -p /run/sshd
  chmod 0755 /run/sshd
  "$SSHD_BIN" -t -f "$SSHD_CONFIG" || die "sshd rejects $SSHD_CONFIG"
  # -D: stay in the foreground so start_detached owns it; -e: log to the log file.
  start_detached "$SSHD_LOG" "$SSHD_BIN" -D -e -f "$SSHD_CONFIG"
  printf '%s\n' "$BERTH_DETACHED_PID" >"$SSHD_PIDFILE"
  log "started sshd (pid $BERTH_DETACHED_PID); log $SSHD_LOG"
  local rc=0
  wait_until "$SSHD_TIMEOUT" "$BERTH_DETACHED_PID" ssh_client_ok || rc=$?
  if ((rc != 0)); then
    show_log_tail "$SSHD_LOG"
    die "no key login on $SSHD_ADDR:$SSHD_PORT (wait result $rc)"
  fi
}

usage_note() {
  log "sshd ready on $SSHD_ADDR:$SSHD_PORT (root, key auth only)"
  log "  transport: ssh://root@$SSHD_ADDR:$SSHD_PORT?identity=$CLIENT_KEY&knownHosts=$KNOWN_HOSTS"
  log "  by hand:   ssh -F none -i $CLIENT_KEY -o UserKnownHostsFile=$KNOWN_HOSTS -p $SSHD_PORT root@$SSHD_ADDR"
  log "  stop:      kill \$(cat $SSHD_PIDFILE)"
}

main() {
  require_root
  [[ -x "$SSHD_BIN" ]] \
    || die "openssh-server not installed; run scripts/install-runtimes.sh --with-test-deps"
  if ! command -v ssh >/dev/null 2>&1 || ! command -v ssh-keygen >/dev/null 2>&1; then
    die "openssh-client not installed; run scripts/install-runtimes.sh --with-test-deps"
  fi
  ensure_keys
  local own
  own="$(read_pidfile "$SSHD_PIDFILE")"
  if ssh_client_ok; then
    if pid_is "$own" sshd; then
      log "sshd already answers on $SSHD_ADDR:$SSHD_PORT (pid $own)"
    else
      log "an sshd not started by this script accepts our key on $SSHD_ADDR:$SSHD_PORT; using it"
    fi
    usage_note
    return 0
  fi
  if pid_is "$own" sshd; then
    log "our sshd $own does not accept logins yet; waiting up to ${SSHD_TIMEOUT}s"
    if wait_until "$SSHD_TIMEOUT" "$own" ssh_client_ok; then
      usage_note
      return 0
    fi
    pid_is "$own" sshd && die "sshd $own does not accept our key; kill $own and rerun"
  fi
  if port_in_use; then
    ss -Hltnp "sport = :$SSHD_PORT" >&2 || true
    die "port $SSHD_PORT is taken by something that does not accept our key"
  fi
  launch_sshd
  usage_note
}

main "$@"
