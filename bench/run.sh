#!/usr/bin/env bash
# Runs Berth's benchmarks against the real peers (docker CLI, skopeo + umoci, podman) and prints
# markdown tables. Usage: bench/run.sh [docker|image|daemon|oci|all] [rounds]. Needs the test runtimes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
which="${1:-all}"
rounds="${2:-}"
"$ROOT/scripts/start-runtimes.sh" --with-test-deps
# shellcheck source=../scripts/env.sh
. "$ROOT/scripts/env.sh"
cd "$ROOT"
./mvnw -q -B install -DskipTests
cp_file="$ROOT/bench/target/classpath.txt"
./mvnw -q -B -pl bench dependency:build-classpath -Dmdep.outputFile="$cp_file"
classpath="$(cat "$cp_file"):$ROOT/bench/target/classes"

if [[ "$which" == docker || "$which" == all ]]; then
  java -cp "$classpath" dev.berth.bench.DockerBench "${rounds:-40}" "$ROOT/berth"
fi
if [[ "$which" == daemon || "$which" == all ]]; then
  java -cp "$classpath" dev.berth.bench.DaemonBench "$ROOT/berth" 50 "${rounds:-1000}"
fi
if [[ "$which" == oci || "$which" == all ]]; then
  java -cp "$classpath" dev.berth.bench.OciBench "${rounds:-30}" "$ROOT/berth"
fi
if [[ "$which" == image || "$which" == all ]]; then
  java -cp "$classpath" dev.berth.bench.ImageBench "${rounds:-5}"
fi
