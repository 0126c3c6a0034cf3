#!/bin/sh
# Runs one browser test: run.sh HALLMONITOR BUILD_DIR SAMPLE_PCAP TEST.mjs
# Installs playwright-core and axe-core from this folder's package-lock.json into
# BUILD_DIR/e2e (npm ci, only when the lock file changed) and runs the test with node.
set -eu
hallmonitor=$1
build_dir=$2
pcap=$3
test_file=$4
here=$(cd "$(dirname "$0")" && pwd)
chromium=${HM_CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$chromium" ]; then
  echo "SKIP: no chromium at $chromium; install it with: sudo apt-get install chromium" >&2
  exit 77
fi

work=$build_dir/e2e
mkdir -p "$work"
# Several browser tests may start at once (ctest -j): one installs, the others wait.
(
  flock 9
  if ! cmp -s "$here/package-lock.json" "$work/package-lock.json" || [ ! -d "$work/node_modules" ]; then
    cp "$here/package.json" "$here/package-lock.json" "$work/"
    (cd "$work" && npm ci --no-audit --no-fund)
  fi
) 9>"$work/.install-lock"

exec node "$test_file" --hallmonitor "$hallmonitor" --pcap "$pcap" \
  --chromium "$chromium" --work "$work" --modules "$work/node_modules"
