#!/usr/bin/env bash
# CI smoke test: runs every benchmark once with minimal iterations. No timing assertions: it fails only if JMH fails
# (a benchmark throws, a setup check finds the build unwoven, a fork dies). -foe true makes JMH exit non-zero then.
# Build first:  mvn -B -pl benchmarks -am package
# Extra arguments go to JMH, e.g.  benchmarks/smoke.sh OverheadBenchmark
set -euo pipefail
jar="$(cd "$(dirname "$0")" && pwd)/target/benchmarks.jar"
if [[ ! -f "$jar" ]]; then
  echo "smoke: $jar not found; build it with: mvn -B -pl benchmarks -am package" >&2
  exit 2
fi
exec java -jar "$jar" -f 1 -wi 0 -i 1 -r 100ms -w 100ms -foe true "$@"
