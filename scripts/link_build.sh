#!/usr/bin/env bash
# Makes a build tree usable from anywhere: links the `spindiff` command into a folder on PATH and writes
# spindiff.pth into /usr/bin/python3's site-packages, pointing at <build-dir>/python, so
# `import spindiff` works from any directory. Nothing is copied: a rebuild updates both.
# Usage: scripts/link_build.sh [build-dir]   (SPINDIFF_BIN_DIR, default /usr/local/bin; SPINDIFF_SITE_DIR,
# default the first of /usr/bin/python3's site-packages)
set -euo pipefail
cd "$(dirname "$0")/.."
build_abs="$(cd "${1:-build}" && pwd)"
bin_dir="${SPINDIFF_BIN_DIR:-/usr/local/bin}"
site_dir="${SPINDIFF_SITE_DIR:-$(/usr/bin/python3 -c 'import site; print(site.getsitepackages()[0])')}"
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
$sudo_cmd mkdir -p "$bin_dir" "$site_dir"
$sudo_cmd ln -sfn "$build_abs/apps/spindiff" "$bin_dir/spindiff"
if [ -d "$build_abs/python/spindiff" ]; then
  echo "$build_abs/python" | $sudo_cmd tee "$site_dir/spindiff.pth" >/dev/null
  echo "setup: $bin_dir/spindiff -> $build_abs/apps/spindiff; import spindiff from $build_abs/python" >&2
else
  echo "setup: $bin_dir/spindiff -> $build_abs/apps/spindiff (Python module not built)" >&2
fi
