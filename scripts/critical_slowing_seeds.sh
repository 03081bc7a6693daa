#!/usr/bin/env bash
# Seed scan of the critical-slowing test's estimator (~ 1 min per seed on one core); not part of CI.
# Usage: scripts/critical_slowing_seeds.sh [seeds [first index]] (needs a Release build in build/, e.g. scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build --target spindiff -j2 >/dev/null
out=build/critical_slowing_seeds
g++ -std=c++20 -O3 -march=x86-64-v3 -Ilib/include -Ibuild/lib/generated -Itests \
  scripts/critical_slowing_seeds.cpp build/lib/libspindiff.a -lfmt -lpthread -o "$out"
"$out" "$@"
