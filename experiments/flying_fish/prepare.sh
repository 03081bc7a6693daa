#!/bin/sh
# The composition half of the experiment (its own kind, so its own file): run and plot it before config.toml.
set -eu
cd "$(dirname "$0")/../.."
mkdir -p results
./build/apps/spindiff run experiments/flying_fish/compose.toml --output results/flying_fish_compose.h5 --force
/usr/bin/python3 experiments/flying_fish/plot.py results/flying_fish_compose.h5
