# Source it (". scripts/env.sh"): selects a JDK >= 21 into JAVA_HOME, puts its bin first on
# PATH and defines log/die (from lib.sh). Sets no shell options; returns 1 when no JDK fits.

# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || return 1

BERTH_MIN_JAVA="${BERTH_MIN_JAVA:-21}"

# berth_java_major DIR -> prints the Java feature version of the JDK in DIR
# (from DIR/release, else by asking DIR/bin/java); empty when unknown.
berth_java_major() {
  local dir="$1" version=""
  if [[ -r "$dir/release" ]]; then
    version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$dir/release" | head -n 1)"
  fi
  if [[ -z "$version" && -x "$dir/bin/java" ]]; then
    version="$("$dir/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = *//p' | head -n 1)"
  fi
  version="${version#1.}"
  version="${version%%[!0-9]*}"
  printf '%s' "$version"
}

# berth_is_jdk DIR -> 0 when DIR has an executable java and javac.
berth_is_jdk() {
  [[ -x "$1/bin/java" && -x "$1/bin/javac" ]]
}

# berth_find_jdk -> prints the newest JDK >= BERTH_MIN_JAVA under /usr/lib/jvm.
berth_find_jdk() {
  local dir real major best="" best_major=0
  for dir in /usr/lib/jvm/*; do
    [[ -d "$dir" ]] || continue
    real="$(readlink -f "$dir")"
    berth_is_jdk "$real" || continue
    major="$(berth_java_major "$real")"
    [[ -n "$major" ]] || continue
    if ((major >= BERTH_MIN_JAVA && major > best_major)); then
      best="$real"
      best_major="$major"
    fi
  done
  printf '%s' "$best"
}

berth_select_jdk() {
  local home="" major
  if [[ -n "${JAVA_HOME:-}" ]] && berth_is_jdk "$JAVA_HOME"; then
    major="$(berth_java_major "$JAVA_HOME")"
    if [[ -n "$major" ]] && ((major >= BERTH_MIN_JAVA)); then
      home="$JAVA_HOME"
    fi
  fi
  if [[ -z "$home" ]]; then
    home="$(berth_find_jdk)"
  fi
  if [[ -z "$home" ]]; then
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
      log "no JDK >= $BERTH_MIN_JAVA under /usr/lib/jvm; trying apt openjdk-21-jdk-headless"
      if ! pkg_available openjdk-21-jdk-headless; then
        (apt_update_once) || true
      fi
      if pkg_available openjdk-21-jdk-headless; then
        (apt_install openjdk-21-jdk-headless) || true
        home="$(berth_find_jdk)"
      fi
    fi
  fi
  if [[ -z "$home" ]]; then
    printf 'berth-setup: ERROR: no JDK >= %s found (JAVA_HOME=%s, /usr/lib/jvm/*, apt openjdk-21-jdk-headless); install one and set JAVA_HOME\n' \
      "$BERTH_MIN_JAVA" "${JAVA_HOME:-unset}" >&2
    return 1
  fi
  JAVA_HOME="$home"
  export JAVA_HOME
  case ":$PATH:" in
    ":$JAVA_HOME/bin:"*) ;;
    *) PATH="$JAVA_HOME/bin:$PATH" ;;
  esac
  export PATH
  # Maven's bundled Guice touches sun.misc.Unsafe, which JDK 24+ reports on every build; the
  # flag that silences it does not exist before 24 (an older JVM would refuse to start).
  if (( $(berth_java_major "$JAVA_HOME") >= 24 )) && [[ "${MAVEN_OPTS:-}" != *sun-misc-unsafe* ]]; then
    MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
    export MAVEN_OPTS
  fi
  return 0
}

berth_select_jdk || return 1
