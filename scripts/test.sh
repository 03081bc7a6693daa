#!/usr/bin/env bash
# Installs what is missing, builds Release from scratch with warnings as errors, runs every test
# (labels unit and physics). Extra arguments go to ctest (e.g. -L unit).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf build-test
SPINDIFF_LINK=0 CMAKE_ARGS="-DSPINDIFF_WERROR=ON ${CMAKE_ARGS:-}" scripts/setup.sh build-test
cd build-test
ctest --output-on-failure --timeout 900 -j"$(nproc)" "$@"
