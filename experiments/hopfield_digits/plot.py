#!/usr/bin/python3
"""Figures for hopfield.digits:
  <run>_recall.png    real handwritten cues -> the state each rule falls into, misreadings in red
  <run>_accuracy.png  accuracy per rule and memory set, beside the nearest-mean and 1-NN baselines
Usage: /usr/bin/python3 experiments/hopfield_digits/plot.py results/hopfield_digits.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402

RULES = ["hebb", "storkey", "pseudo_inverse", "modern"]
RULE_COLORS = {"hebb": "tab:red", "storkey": "tab:orange", "pseudo_inverse": "tab:blue", "modern": "tab:green"}
MEMORIES = ["class_means", "exemplars"]


def task_order(run):
    s = run.summary
    rules, memories = np.asarray(s["rule"]), np.asarray(s["memories"])
    order = []
    for m in MEMORIES:
        for r in RULES:
            hit = np.flatnonzero((rules == r) & (memories == m))
            if len(hit):
                order.append((r, m, int(hit[0])))
    return order


def recall_grid(run, per_digit=2):
    order = task_order(run)
    first = run.tasks[order[0][2]]
    digit = first["cue_digit"]
    # The first `per_digit` cues of each digit (of the first split), the same cues in every task.
    shown = [int(i) for d in range(10) for i in np.flatnonzero(digit == d)[:per_digit]]
    rows = 1 + len(order)
    fig, axes = plt.subplots(rows, len(shown), figsize=(0.62 * len(shown) + 1.2, 0.72 * rows + 0.4), squeeze=False)
    for col, c in enumerate(shown):
        for row in range(rows):
            ax = axes[row, col]
            ax.set_xticks([])
            ax.set_yticks([])
            if row == 0:
                ax.imshow(first["cues"][c], cmap="gray_r", vmin=-1, vmax=1, interpolation="nearest")
                ax.set_title(str(int(digit[c])), fontsize=8)
            else:
                rule, memories, index = order[row - 1]
                t = run.tasks[index]
                got, truth = int(t["recalled_digit"][c]), int(t["cue_digit"][c])
                ax.imshow(t["recalled"][c], cmap="gray_r", vmin=-1, vmax=1, interpolation="nearest")
                ax.set_title(f"{got}", fontsize=8, color="black" if got == truth else "red")
                if got != truth:
                    for spine in ax.spines.values():
                        spine.set_edgecolor("red")
                        spine.set_linewidth(1.5)
            if col == 0:
                label = "cue" if row == 0 else f"{order[row - 1][0]}\n{order[row - 1][1]}"
                ax.set_ylabel(label, fontsize=7, rotation=0, ha="right", va="center")
    fig.suptitle("real handwritten digits (UCI, binarised) -> the state the dynamics falls into; "
                 "title = digit read, red = misread", fontsize=9)
    save(fig, run, "recall")


def accuracy_plot(run):
    s = run.summary
    order = task_order(run)
    acc, err = np.asarray(s["accuracy"], float), np.asarray(s["accuracy_err"], float)
    landed = np.asarray(s["landed_on_memory"], float)
    fig, ax = plt.subplots(figsize=(9.5, 3.8))
    width = 0.8 / len(RULES)
    for k, (rule, memories, index) in enumerate(order):
        x = MEMORIES.index(memories) + (RULES.index(rule) - (len(RULES) - 1) / 2) * width
        first = all(o[0] != rule for o in order[:k])
        ax.bar(x, acc[index], width * 0.9, yerr=err[index], capsize=2, color=RULE_COLORS[rule],
               label=rule if first else None)
        ax.text(x, acc[index] + 0.03, f"{acc[index]:.2f}", ha="center", fontsize=7)
        ax.text(x, 0.02, f"on memory\n{landed[index]:.2f}", ha="center", fontsize=5.5, color="white")
    for name, style, text in [("baseline_nearest_mean", "--", "nearest class mean"), ("baseline_1nn", "-.", "1-NN")]:
        value = np.asarray(s[name], float)[order[0][2]]
        ax.axhline(value, color="black", ls=style, lw=1, label=f"{text} ({value:.2f})")
    ax.axhline(0.1, color="gray", ls=":", lw=1, label="chance")
    ax.set_xticks(range(len(MEMORIES)))
    ax.set_xticklabels(["10 binarised class means", "all training digits (exemplars)"])
    ax.set_ylabel("accuracy on held-out digits")
    ax.set_ylim(0, 1.08)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    save(fig, run, "accuracy")


def main():
    run = load_run()
    recall_grid(run)
    accuracy_plot(run)


if __name__ == "__main__":
    main()
