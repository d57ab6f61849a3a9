# Shared helpers for Berth's setup scripts (sourced by env.sh and start-*.sh; sets
# no shell options): logging, Debian package checks, detached daemons, bounded waits.

if [[ -n "${BERTH_LIB_SOURCED:-}" ]]; then
  return 0
fi
BERTH_LIB_SOURCED=1

BERTH_RUN_DIR="${BERTH_RUN_DIR:-/run/berth}"
BERTH_STATE_DIR="${BERTH_STATE_DIR:-/var/lib/berth-test}"

log() {
  printf 'berth-setup: %s\n' "$*" >&2
}

die() {
  printf 'berth-setup: ERROR: %s\n' "$*" >&2
  exit 1
}

require_root() {
  if [[ "$(id -u)" -ne 0 ]]; then
    die "$(basename "$0") must run as root"
  fi
}

# pkg_installed PKG -> 0 when dpkg says "install ok installed".
pkg_installed() {
  local status
  status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null || true)"
  [[ "$status" == "ii"* ]]
}

# pkg_available PKG -> 0 when apt has an installation candidate for PKG.
pkg_available() {
  local candidate
  candidate="$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p' | head -n 1)"
  [[ -n "$candidate" && "$candidate" != "(none)" ]]
}

BERTH_APT_UPDATED=""
apt_update_once() {
  if [[ -z "$BERTH_APT_UPDATED" ]]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 update >&2 \
      || die "apt-get update failed"
    BERTH_APT_UPDATED=1
  fi
}

# apt_install PKG... : noninteractive install; services are not started by
# the package scripts (policy-rc.d is provided temporarily when absent).
apt_install() {
  local policy=/usr/sbin/policy-rc.d own_policy="" rc=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
    own_policy=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 NEEDRESTART_MODE=l \
    apt-get -q -y -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef \
    -o Dpkg::Options::=--force-confold install "$@" >&2 || rc=$?
  if [[ -n "$own_policy" ]]; then
    rm -f "$policy"
  fi
  if [[ "$rc" -ne 0 ]]; then
    die "apt-get install $* failed (exit $rc)"
  fi
}

# pid_is PID NAME -> 0 when PID is alive (not a zombie) and named NAME.
pid_is() {
  local pid="$1" name="$2" stat rest
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  stat="$(cat "/proc/$pid/stat" 2>/dev/null || true)"
  [[ "$stat" == *"($name) "* ]] || return 1
  rest="${stat##*) }"
  [[ "${rest%% *}" != [ZX] ]]
}

# pid_alive PID -> 0 when PID exists and is not a zombie.
pid_alive() {
  local stat rest
  stat="$(cat "/proc/$1/stat" 2>/dev/null || true)"
  [[ -n "$stat" ]] || return 1
  rest="${stat##*) }"
  [[ "${rest%% *}" != [ZX] ]]
}

# read_pidfile FILE -> prints the pid stored in FILE (empty when none).
read_pidfile() {
  local pid=""
  if [[ -r "$1" ]]; then
    pid="$(tr -dc '0-9' <"$1" 2>/dev/null || true)"
  fi
  printf '%s' "$pid"
}

# start_detached LOGFILE CMD... : runs CMD in a new session, stdin from
# /dev/null, stdout/stderr appended to LOGFILE, every other inherited file
# descriptor closed (so callers piping our output never hang on the daemon).
# Sets BERTH_DETACHED_PID to the daemon's pid.
start_detached() {
  local logfile="$1"
  shift
  mkdir -p "$(dirname "$logfile")"
  printf '\n===== %s berth-setup starting: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$logfile"
  (
    for fdpath in /proc/self/fd/*; do
      fd="${fdpath##*/}"
      if [[ "$fd" =~ ^[0-9]+$ && "$fd" -gt 2 ]]; then
        exec {fd}>&- 2>/dev/null || true
      fi
    done
    # A neutral working directory: daemons write relative files there (conmon drops an `oom`
    # marker in the podman service's cwd), which must never be the caller's checkout.
    cd / || exit 1
    exec setsid nohup "$@" </dev/null >>"$logfile" 2>&1
  ) &
  # shellcheck disable=SC2034 # read by the start-*.sh scripts
  BERTH_DETACHED_PID=$!
}

# unix_http_ok SOCKET PATH -> 0 when GET PATH over the unix socket gives 2xx.
unix_http_ok() {
  [[ -S "$1" ]] || return 1
  curl -fsS -o /dev/null --max-time 3 --unix-socket "$1" "http://d$2" 2>/dev/null
}

# unix_ping SOCKET -> 0 when the Docker-API /_ping on SOCKET answers "OK".
unix_ping() {
  local body
  [[ -S "$1" ]] || return 1
  body="$(curl -fsS --max-time 3 --unix-socket "$1" http://d/_ping 2>/dev/null)" || return 1
  [[ "$body" == "OK" ]]
}

# wait_until TIMEOUT_S PID CHECK_CMD... : polls CHECK_CMD every 0.5 s until it
# succeeds (0), PID (if non-empty) dies (2) or TIMEOUT_S elapses (1).
wait_until() {
  local timeout="$1" pid="$2"
  shift 2
  local deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    if "$@"; then
      return 0
    fi
    if [[ -n "$pid" ]] && ! pid_alive "$pid"; then
      # One last look: the daemon may have forked and exited on purpose.
      if "$@"; then
        return 0
      fi
      return 2
    fi
    sleep 0.5
  done
  "$@"
}

# show_log_tail FILE : prints the last lines of a daemon log to stderr.
show_log_tail() {
  if [[ -r "$1" ]]; then
    log "last lines of $1:"
    tail -n 40 "$1" | sed 's/^/    /' >&2
  fi
}

# write_if_changed FILE CONTENT -> writes FILE atomically when its content
# differs; returns 0 when it changed the file, 1 when it was already right.
write_if_changed() {
  local file="$1" content="$2" tmp
  if [[ -f "$file" ]] && [[ "$(cat "$file")" == "$content" ]]; then
    return 1
  fi
  mkdir -p "$(dirname "$file")"
  tmp="$(mktemp "$file.XXXXXX")"
  printf '%s\n' "$content" >"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$file"
  return 0
}

# make_busybox_rootfs_tar DEST.tar : a minimal rootfs (static busybox plus
# applet symlinks for sh, echo, cat, ls, sleep, ...) for importing as an image.
make_busybox_rootfs_tar() {
  local dest="$1" bb="" root applet
  for candidate in /bin/busybox /usr/bin/busybox; do
    if [[ -x "$candidate" ]]; then
      bb="$candidate"
      break
    fi
  done
  [[ -n "$bb" ]] || die "busybox not found (install busybox-static)"
  root="$(mktemp -d)"
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/proc" "$root/sys" "$root/dev"
  chmod 1777 "$root/tmp"
  cp "$bb" "$root/bin/busybox"
  for applet in sh ash echo cat ls sleep true false env id hostname ps wget nc \
    ip ifconfig route ping mkdir rm touch head tail grep sed printf test uname \
    nslookup netstat kill df du wc date; do
    ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  tar -C "$root" --numeric-owner -cf "$dest" .
  rm -rf "$root"
}
