#!/usr/bin/env bash
# Seed scan of the critical-slowing test's estimator (~ 2 min per seed on one free core); not part of CI.
# Usage: scripts/critical_slowing_seeds.sh [seeds [first index [tau units [L ...]]]] (needs a Release build in build/, e.g. scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build --target critical_slowing_seeds -j2 >/dev/null  # tests/CMakeLists.txt, not built by default
build/tests/critical_slowing_seeds "$@"
