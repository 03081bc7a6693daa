#!/usr/bin/python3
"""Figures for hopfield.letters:
  <run>_recall.png    cue -> recalled state for each rule (most letters stored, a middle noise level)
  <run>_accuracy.png  classification accuracy against noise, one line per rule, one panel per letter count
Usage: /usr/bin/python3 experiments/hopfield_letters/plot.py results/hopfield_letters.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402

RULE_COLORS = {"hebb": "tab:red", "storkey": "tab:orange", "pseudo-inverse": "tab:blue"}


def recall_grid(run):
    s = run.summary
    noise, letters, rules = np.asarray(s["noise"], float), np.asarray(s["letters"]), np.asarray(s["rule"])
    k_max = letters.max()
    levels = np.unique(noise[letters == k_max])
    level = levels[np.argmin(np.abs(levels - 0.2))]  # a noise level where the rules differ
    rule_order = [r for r in RULE_COLORS if r in set(rules)] + sorted(set(rules) - set(RULE_COLORS))
    tasks = {r: np.flatnonzero((letters == k_max) & (noise == level) & (rules == r))[0] for r in rule_order}
    first = run.tasks[tasks[rule_order[0]]]
    names = list(first["letters"])
    shown = list(range(min(len(names), 13)))
    rows = 1 + len(rule_order)
    fig, axes = plt.subplots(rows, len(shown), figsize=(1.1 * len(shown), 1.25 * rows), squeeze=False)
    for col, k in enumerate(shown):
        for row in range(rows):
            rule = rule_order[max(row - 1, 0)]
            t = run.tasks[tasks[rule]]
            c = int(np.argmax(t["cue_letter"] == k))  # the first cue of letter k
            img = t["cues"][c] if row == 0 else t["recalled"][c]
            ax = axes[row, col]
            ax.imshow(img, cmap="gray_r", vmin=-1, vmax=1, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if row == 0:
                ax.set_title(f"cue {names[k]}", fontsize=8)
            else:
                got = names[int(t["recalled_letter"][c])]
                ax.set_title(f"-> {got}", fontsize=8, color="black" if got == names[k] else "red")
            if col == 0:
                ax.set_ylabel("cue" if row == 0 else rule, fontsize=8)
    fig.suptitle(f"{k_max} letters stored, noise {level:g} (+ shift, width, affine jitter); red = misclassified",
                 fontsize=9)
    save(fig, run, "recall")


def accuracy_plot(run):
    s = run.summary
    noise, letters, rules = np.asarray(s["noise"], float), np.asarray(s["letters"]), np.asarray(s["rule"])
    acc = np.asarray(s["accuracy"], float)
    err = np.asarray(s.get("accuracy_err", np.zeros_like(acc)), float)
    counts = np.unique(letters)
    fig, axes = plt.subplots(1, len(counts), figsize=(4 * len(counts), 3.4), sharey=True, squeeze=False)
    for ax, k in zip(axes[0], counts):
        for rule in [r for r in RULE_COLORS if r in set(rules)] + sorted(set(rules) - set(RULE_COLORS)):
            sel = (letters == k) & (rules == rule)
            order = np.argsort(noise[sel])
            ax.errorbar(noise[sel][order], acc[sel][order], yerr=err[sel][order], marker="o", ms=3, capsize=2,
                        label=rule, color=RULE_COLORS.get(rule))
        ax.axhline(1.0 / k, color="gray", ls=":", lw=1, label="chance")
        ax.set_title(f"{k} letters stored")
        ax.set_xlabel("noise (fraction of flipped pixels)")
        ax.set_ylim(-0.03, 1.03)
    axes[0, 0].set_ylabel("accuracy (largest overlap)")
    axes[0, -1].legend(fontsize=8)
    save(fig, run, "accuracy")


def main():
    run = load_run()
    recall_grid(run)
    accuracy_plot(run)


if __name__ == "__main__":
    main()
