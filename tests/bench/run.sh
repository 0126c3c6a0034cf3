#!/bin/sh
# Generates a large capture with the traffic generator and runs the pipeline benchmark
# over it. usage: tests/bench/run.sh BUILD_DIR [FLOWS]   (default 200000 flows)
set -eu
build=${1:?usage: run.sh BUILD_DIR [FLOWS]}
flows=${2:-200000}
capture=${TMPDIR:-/tmp}/hallmonitor-bench-$flows.pcap
if [ ! -s "$capture" ]; then
  "$build/tools/trafficgen/hallmonitor-trafficgen" --flows "$flows" --out "$capture"
fi
ls -l "$capture"
"$build/tests/bench/pipeline_bench" "$capture"
