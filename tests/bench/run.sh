#!/bin/sh
# Issue 9's figures in one table: generates the school-day mix (kept in $TMPDIR, never
# in the repository), then runs each measurement and prints the table at the end.
#
# usage: tests/bench/run.sh BUILD_DIR [--size 1G] [--sample-size 50M] [--flows 100000]
#                           [--entries 50000] [--snort PATH] [--skip-callgrind]
#
# Needs hallmonitor-trafficgen and pipeline_bench built in BUILD_DIR, valgrind for
# the instruction count, and Snort 3 only if --snort is given (never built here).
# Throughput figures depend on the machine's load: the floor and the pipeline are
# measured back to back in the same run, so their ratio is what to compare.
set -eu
build=${1:?usage: run.sh BUILD_DIR [--size 1G] [--sample-size 50M] [--flows N] [--entries N] [--snort PATH]}
shift
size=1G sample_size=50M flows=100000 entries=50000 snort="" callgrind=1
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --sample-size) sample_size=$2; shift 2 ;;
    --flows) flows=$2; shift 2 ;;
    --entries) entries=$2; shift 2 ;;
    --snort) snort=$2; shift 2 ;;
    --skip-callgrind) callgrind=0; shift ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
tmp=${TMPDIR:-/tmp}
gen="$build/tools/trafficgen/hallmonitor-trafficgen"
bench="$build/tests/bench/pipeline_bench"
mix="$tmp/hallmonitor-school-day-$size.pcap"
sample="$tmp/hallmonitor-school-day-$sample_size.pcap"
figures="$tmp/hallmonitor-bench-figures.$$"
trap 'rm -f "$figures" "$figures".*' EXIT

for pair in "$size:$mix" "$sample_size:$sample"; do
  file=${pair#*:}
  if [ ! -s "$file" ]; then
    nice -n 10 "$gen" --profile school-day --size "${pair%%:*}" --out "$file"
  fi
done
ls -l "$mix" "$sample" >&2
cat "$mix" >/dev/null  # in the page cache before the first timed read

# Every measurement appends `figure NAME VALUE` lines, prefixed by its run.
measure() {
  prefix=$1; shift
  echo "== $*" >&2
  "$@" | awk -v p="$prefix" '$1 == "figure" { print p "_" $2 "=" $3 }' >>"$figures"
}
# Two floors: libpcap as a bare loop opens a file (stdio's 4 KiB buffer: a read() call
# per 4 KiB), and libpcap through the 256 KiB buffer PcapFileSource gives it, which is
# how the pipeline reads. The second is the like-for-like one.
measure floor1 "$bench" floor "$mix"
measure buffered1 "$bench" floor "$mix" --source-buffer
measure w1 "$bench" replay "$mix" --workers 1
measure floor2 "$bench" floor "$mix"
measure buffered2 "$bench" floor "$mix" --source-buffer
measure w2 "$bench" replay "$mix" --workers 2
measure rss "$bench" flows "$flows" --library-entries "$entries"
measure latency "$bench" latency "$source_dir/tools/sample/school-morning.pcap"

# Instructions per packet: callgrind over the smaller sample, one worker, counted from
# the first packet offered to the last capture committed (pipeline_bench --callgrind),
# per thread: the capture thread (main), the worker, the store thread. (The library
# compile's child process is traced too and writes its own file, unused here.)
if [ "$callgrind" = 1 ] && command -v valgrind >/dev/null; then
  out="$figures.cg"
  echo "== callgrind: $bench replay $sample --workers 1" >&2
  valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out" \
    "$bench" replay "$sample" --workers 1 --callgrind 2>/dev/null |
    awk '$1 == "figure" { print "cg_" $2 "=" $3 }' >>"$figures"
  # The floor's own count, from its first read to its last (the part file), read
  # through the same 256 KiB buffer as the pipeline's, so that subtracting it leaves
  # the pipeline's own work.
  valgrind --tool=callgrind --callgrind-out-file="$out.floor" \
    "$bench" floor "$sample" --source-buffer --callgrind 2>/dev/null |
    awk '$1 == "figure" { print "cgfloor_" $2 "=" $3 }' >>"$figures"
  # Which thread is which: by the functions its file names.
  capture=0 worker=0 store=0 other=0
  for f in "$out".1-01 "$out"-0[2-9] "$out"-[1-9][0-9]; do
    [ -f "$f" ] || continue
    ir=$(awk '/^summary:/ { print $2 }' "$f")
    if [ "$f" = "$out.1-01" ]; then capture=$ir
    elif grep -q "run_worker" "$f"; then worker=$((worker + ir))
    elif grep -q "CaptureWriter::run" "$f"; then store=$((store + ir))
    else other=$((other + ir)); fi
  done
  floor_ir=$(awk '/^summary:/ { print $2 }' "$out.floor.1" 2>/dev/null || echo 0)
  {
    echo "cg_capture_ir=$capture"
    echo "cg_worker_ir=$worker"
    echo "cg_store_ir=$store"
    echo "cg_other_ir=$other"
    echo "cg_floor_ir=${floor_ir:-0}"
  } >>"$figures"
fi

if [ -n "$snort" ]; then
  rules="$tmp/hallmonitor-library.rules"
  "$source_dir/tools/snort/library-to-snort" "$source_dir/firmware/library" -o "$rules"
  echo "== $snort -q -R $rules -r $mix -A none" >&2
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$figures.snort-rss" "$snort" -q -R "$rules" -r "$mix" -A none >&2
  end=$(date +%s.%N)
  echo "snort_seconds=$(echo "$end - $start" | bc)" >>"$figures"
  echo "snort_rss_kib=$(tail -n 1 "$figures.snort-rss")" >>"$figures"
fi

# shellcheck disable=SC1090
. "$figures"
mix_bytes=$(stat -c %s "$mix")
load=$(cut -d' ' -f1-3 /proc/loadavg)
# awk, not bc: the figures may be printed as 1.47e+06, which bc cannot read.
ratio() { awk -v part="$1" -v whole="$2" 'BEGIN { printf "%.0f", 100 * part / whole }'; }
row() { printf '%-52s %s\n' "$1" "$2"; }
echo
echo "hallmonitor issue 9 figures — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $load"
echo "mix: $mix ($mix_bytes bytes, $(printf '%.0f' "$floor1_floor_packets") packets)"
echo
row "measurement" "figure"
row "-----------" "------"
speed() { printf '%.3f Gbit/s  %.0f packets/s' "$1" "$2"; }
of_floors() { printf '(%s%% of floor, %s%% of 256 KiB floor)' "$(ratio "$1" "$2")" "$(ratio "$1" "$3")"; }
row "bare libpcap read loop (floor)" "$(speed "$floor1_floor_gbps" "$floor1_floor_pps")"
row "bare libpcap read loop, 256 KiB stdio buffer" "$(speed "$buffered1_floor_gbps" "$buffered1_floor_pps")"
row "pipeline, 1 worker" "$(speed "$w1_replay_w1_gbps" "$w1_replay_w1_pps")  $(of_floors "$w1_replay_w1_pps" "$floor1_floor_pps" "$buffered1_floor_pps")"
row "bare libpcap read loop (floor, again)" "$(speed "$floor2_floor_gbps" "$floor2_floor_pps")"
row "bare libpcap read loop, 256 KiB buffer (again)" "$(speed "$buffered2_floor_gbps" "$buffered2_floor_pps")"
row "pipeline, 2 workers" "$(speed "$w2_replay_w2_gbps" "$w2_replay_w2_pps")  $(of_floors "$w2_replay_w2_pps" "$floor2_floor_pps" "$buffered2_floor_pps")"
row "packets past the bypass (1 worker)" "$(printf '%.0f of %.0f' "$w1_bypassed_packets" "$w1_replay_w1_packets")"
if [ -n "${cg_capture_ir:-}" ]; then
  packets=$cg_replay_w1_packets
  per() { awk -v total="$1" -v packets="$packets" 'BEGIN { printf "%.0f", total / packets }'; }
  row "instructions/packet, capture thread (callgrind)" "$(per "$cg_capture_ir")  (of which libpcap file read $(per "$cg_floor_ir"), 256 KiB buffer)"
  row "instructions/packet, worker" "$(per "$cg_worker_ir")"
  row "instructions/packet, capture thread without file read" "$(per "$((cg_capture_ir - cg_floor_ir))")"
  row "instructions/packet, pipeline without file read" "$(per "$((cg_capture_ir - cg_floor_ir + cg_worker_ir))")  (capture thread + worker)"
  row "instructions/packet, all threads" "$(per "$((cg_capture_ir + cg_worker_ir + cg_store_ir + cg_other_ir))")  (store thread $(per "$cg_store_ir"): sealing $(printf '%.0f' "$cg_captures_stored") captures)"
fi
row "peak RSS, $flows flows + $(printf '%.0f' "$rss_library_entries")-entry library" "$(printf '%.1f MiB  (%.0f flows held, %.0f evicted; %.1f MiB after compiling)' "$rss_peak_rss_mib" "$rss_flows_held" "$rss_flows_evicted" "$rss_rss_after_compile_mib")"
row "library compile, starter library" "$(printf '%.2f s' "$w1_compile_starter_s")"
row "library compile, $(printf '%.0f' "$rss_library_entries") entries" "$(printf '%.2f s' "$rss_compile_library_s")"
row "capture-to-disk latency (sample, 10k packets/s)" "$(printf 'median %.0f ms, max %.0f ms over %.0f captures' "$latency_latency_median_ms" "$latency_latency_max_ms" "$latency_latency_captures")"
if [ -n "${snort_seconds:-}" ]; then
  row "Snort 3 ($snort), library as content rules" "$(printf '%.3f Gbit/s  %.0f packets/s  peak RSS %.1f MiB' "$(echo "$mix_bytes * 8 / $snort_seconds / 1000000000" | bc -l)" "$(echo "$floor1_floor_packets / $snort_seconds" | bc -l)" "$(echo "$snort_rss_kib / 1024" | bc -l)")"
else
  row "Snort 3" "not run (give --snort PATH)"
fi
