#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time on a working corpus seeded from SEEDS.
# usage: run_fuzzer.sh FUZZER SECONDS WORKDIR [SEEDS_DIR]
set -euo pipefail
fuzzer=$1 seconds=$2 work=$3 seeds=${4:-}
mkdir -p "$work/corpus" "$work/crashes"
args=("$work/corpus")
[[ -n "$seeds" && -d "$seeds" ]] && args+=("$seeds")
cd "$work"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$work/crashes/" -print_final_stats=1 "${args[@]}"
