#!/usr/bin/env bash
# `hallmonitor run` on a live interface: a veth pair inside a network namespace this
# test makes; tcpreplay sends the bundled sample into one end, the daemon captures on
# the other (promiscuous, no address) and must store exactly the planted captures,
# then shut down cleanly on SIGTERM.
#
# usage: live_capture_test.sh HALLMONITOR TRAFFICGEN SAMPLE.pcap WORKDIR
set -euo pipefail
hallmonitor=$1 trafficgen=$2 sample=$3 work=$4
here="$(cd "$(dirname "$0")" && pwd)"

if [[ $(id -u) -ne 0 ]]; then echo "SKIP: needs root to make a network namespace"; exit 77; fi
for tool in ip tcpreplay python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done

ns="hm-live-$$"
daemon_pid=""
cleanup() {
  [[ -n "$daemon_pid" ]] && kill -9 "$daemon_pid" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT

rm -rf "$work" && mkdir -p "$work"
ip netns add "$ns" || { echo "SKIP: cannot create a network namespace here"; exit 77; }
ip -n "$ns" link set lo up
ip -n "$ns" link add mirror0 type veth peer name feed0
# The mirror port has no address and sends nothing of its own (no IPv6 autoconf).
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip -n "$ns" link set mirror0 up
ip -n "$ns" link set feed0 up

cat >"$work/hallmonitor.conf" <<CONF
# written by live_capture_test.sh
mirror_interface = mirror0
data_dir = $work/data
web_address = 127.0.0.1
web_port = 18443
workers = 1
CONF

ip netns exec "$ns" "$hallmonitor" run --config "$work/hallmonitor.conf" >"$work/daemon.log" 2>&1 &
daemon_pid=$!
# Up to two minutes: compiling the starter library takes ~10 s of CPU, far longer on a
# loaded CI machine running two suites at once.
for _ in $(seq 1 600); do
  grep -q "capturing on mirror0" "$work/daemon.log" && break
  kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/daemon.log"; echo "FAIL: daemon exited"; exit 1; }
  sleep 0.2
done
grep -q "capturing on mirror0" "$work/daemon.log" || { cat "$work/daemon.log"; echo "FAIL: daemon did not start"; exit 1; }

ip netns exec "$ns" tcpreplay --intf1=feed0 --pps=3000 "$sample" >"$work/tcpreplay.log" 2>&1 ||
  { cat "$work/tcpreplay.log"; echo "FAIL: tcpreplay"; exit 1; }
tail -n 3 "$work/tcpreplay.log"
sleep 2  # DESIGN.md: a capture is durable within a second of its packet

kill -TERM "$daemon_pid"
status=0
wait "$daemon_pid" || status=$?
daemon_pid=""
cat "$work/daemon.log"
[[ $status -eq 0 ]] || { echo "FAIL: daemon exit status $status after SIGTERM"; exit 1; }

HM_INTEGRATION_DIR="$here" python3 - "$hallmonitor" "$trafficgen" "$work/data" <<'PY'
import sys
import os; sys.path.insert(0, os.environ["HM_INTEGRATION_DIR"])
from planted import describe_difference, planted_concerns, stored_captures
hallmonitor, trafficgen, data_dir = sys.argv[1:4]
expected = planted_concerns(trafficgen)
actual = stored_captures(hallmonitor, data_dir)
if actual != expected:
    sys.exit("live captures differ from the planted concerns:\n" + describe_difference(expected, actual))
print(f"live capture stored exactly the {sum(actual.values())} planted captures")
PY
