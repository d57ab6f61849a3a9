#!/usr/bin/env bash
# Runs the whole test suite: installs test dependencies (docker.io, podman, registry, ...),
# starts dockerd, the Podman service and a local registry, then runs every module's tests.
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
export BERTH_REQUIRE_BACKENDS="docker,podman"
./mvnw -B -ntp install "$@"
