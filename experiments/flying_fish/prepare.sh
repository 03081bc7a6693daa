#!/bin/sh
# Everything of the experiment except config.toml (the guidance half, run by the experiments script itself):
# the composition with exact scores, then the letters half: train the conditional score and the classifiers,
# generate and measure every cell, and the emergence curves over training steps (3 x 256 and 3 x 512). Each
# result is plotted.
set -eu
cd "$(dirname "$0")/../.."
mkdir -p results
spindiff=./build/apps/spindiff
$spindiff run experiments/flying_fish/compose.toml --output results/flying_fish_compose.h5 --force
/usr/bin/python3 experiments/flying_fish/plot.py results/flying_fish_compose.h5
$spindiff run experiments/flying_fish/train.toml --output results/flying_fish_train.h5 --force
$spindiff run experiments/flying_fish/train_wide.toml --output results/flying_fish_train_wide.h5 --force
$spindiff run experiments/flying_fish/classifiers.toml --output results/flying_fish_classifiers.h5 --force
$spindiff run experiments/flying_fish/letters.toml --output results/flying_fish_letters.h5 --force
/usr/bin/python3 experiments/flying_fish/plot.py results/flying_fish_letters.h5
$spindiff run experiments/flying_fish/steps.toml --output results/flying_fish_steps.h5 --force
/usr/bin/python3 experiments/flying_fish/plot.py results/flying_fish_steps.h5
$spindiff run experiments/flying_fish/steps_wide.toml --output results/flying_fish_steps_wide.h5 --force
/usr/bin/python3 experiments/flying_fish/plot.py results/flying_fish_steps_wide.h5
