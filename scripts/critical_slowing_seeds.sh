#!/usr/bin/env bash
# Seed scan of the critical-slowing test's estimator (~ 1 min per seed on one core); not part of CI.
# Usage: scripts/critical_slowing_seeds.sh [seeds [first index]] (needs a Release build in build/, e.g. scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build --target critical_slowing_seeds -j2 >/dev/null  # tests/CMakeLists.txt, not built by default
build/tests/critical_slowing_seeds "$@"
