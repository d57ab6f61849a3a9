#!/usr/bin/env bash
# Quick start on a fresh Debian machine (root): installs and starts the Docker engine, builds
# Berth, starts the Berth daemon (if not running), imports a busybox demo image from local files,
# and runs demo workloads with the CLI, which talks to the daemon.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$ROOT/scripts/lib.sh"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
# show CMD...: prints the command as it could be pasted into a shell (words with special
# characters single-quoted), then runs it.
show() {
  local line='$' word
  for word in "$@"; do
    if [[ "$word" =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
      line+=" $word"
    else
      line+=" '${word//\'/\'\\\'\'}'"
    fi
  done
  printf '%s\n' "$line"
  "$@"
}

require_root
step "Installing and starting the Docker engine (Debian docker.io)"
"$ROOT/scripts/start-runtimes.sh"

step "Selecting a JDK >= 21 and building Berth (Maven wrapper)"
# shellcheck source=env.sh source-path=SCRIPTDIR
. "$ROOT/scripts/env.sh"
log "using JAVA_HOME=$JAVA_HOME"
(cd "$ROOT" && ./mvnw -q -B install -DskipTests)
log "built $ROOT/berth-cli/target/berth-cli.jar; the launcher is $ROOT/berth"

step "Starting the Berth daemon (unix:///run/berth/berth.sock, records in /var/lib/berth)"
"$ROOT/scripts/start-daemon.sh"

BERTH="$ROOT/berth"
IMAGE="berth-demo/busybox:1"
# The demo's own events are the ones after this id (the data dir may hold older ones).
first_event="$("$BERTH" events | tail -n 1 | cut -d' ' -f1)"

step "Importing a demo image from Debian's busybox-static (no registry needed)"
tar_file="$(mktemp --suffix=.tar)"
trap 'rm -f "$tar_file"' EXIT
make_busybox_rootfs_tar "$tar_file"
show "$BERTH" image import "$tar_file" "$IMAGE" --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin'

step "Running a workload in the foreground; its exit code becomes berth's"
show "$BERTH" run --rm --name demo-hello "$IMAGE" sh -c 'echo "hello from $(hostname), a Berth workload"; exit 3' \
  || log "berth run exited with $? (the workload's own exit code)"

step "The same image on the oci backend: runc under conmon, Berth's own bridge network, no container engine"
show "$BERTH" run --rm --backend oci --name demo-oci "$IMAGE" sh -c 'echo "hello from $(hostname) at $(ip -4 -o addr show eth0 2>/dev/null | cut -d" " -f7)"; ls /'

step "A long-running workload with a published port"
"$BERTH" rm -f demo-web >/dev/null 2>&1 || true
show "$BERTH" run -d --name demo-web -p 8080 --memory 64Mi --cpus 0.5 "$IMAGE" \
  sh -c 'echo "<h1>served by Berth</h1>" > /tmp/index.html; echo listening; exec httpd -f -p 8080 -h /tmp'
show "$BERTH" ps
show "$BERTH" inspect demo-web
show "$BERTH" exec demo-web sh -c 'echo "exec sees $(cat /tmp/index.html)"'
show "$BERTH" logs demo-web
show "$BERTH" stats --no-stream demo-web
show "$BERTH" stop -t 2 demo-web
show "$BERTH" rm demo-web
show "$BERTH" events --since "${first_event:-0}"

step "Done"
default_backend="$("$BERTH" info | sed -n 's/^Default backend: *//p' | head -n 1)"
if [[ "$default_backend" == oci ]]; then
  log "Berth ran workloads on: oci (the default backend)"
else
  log "Berth ran workloads on: $default_backend (the default backend) and oci"
fi
log "the daemon keeps running (log /var/log/berth-daemon.log); stop it with: kill \$(cat /run/berth/berthd.pid)"
log "next: '$BERTH --help', and the README's command reference"
