#!/usr/bin/env bash
# Runs the whole test suite: installs test dependencies (docker.io, podman, runc, runsc, conmon,
# registry, sshd, ...), starts dockerd, the Podman service, a local registry and a test sshd, then
# runs every module's tests.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$ROOT/scripts/lib.sh"

require_root
"$ROOT/scripts/start-runtimes.sh" --with-test-deps
# shellcheck source=env.sh source-path=SCRIPTDIR
. "$ROOT/scripts/env.sh"
log "using JAVA_HOME=$JAVA_HOME"
cd "$ROOT"
# The conformance kit fails rather than skips when a runtime this script started is missing.
export BERTH_REQUIRE_BACKENDS="docker,podman,oci,ssh"
./mvnw -B -ntp install "$@"
