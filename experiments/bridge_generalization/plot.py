#!/usr/bin/python3
"""Figures for bridge.generalization:
  <run>_transition.png  cross-similarity and copy fraction against P; nearest training / held-out distances
  <run>_pairs.png       outputs of the two networks from the same noises, at the smallest and the largest P
Usage: /usr/bin/python3 experiments/bridge_generalization/plot.py results/bridge_generalization.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402


def column(s, name):
    return np.asarray(s[name], float), np.asarray(s.get(name + "_err", np.zeros(len(s[name]))), float)


def transition(run):
    s = run.summary
    P = np.asarray(s["P"], float)
    order = np.argsort(P)
    fig, ax = plt.subplots(1, 2, figsize=(10, 3.6))
    for name, colour, label in [("cross_similarity", "tab:blue", "cross-similarity (cosine, same noise)"),
                                ("copy_fraction", "tab:red", "copy fraction (d1 < d2 / 3)")]:
        v, e = column(s, name)
        ax[0].errorbar(P[order], v[order], yerr=e[order], marker="o", ms=4, capsize=2, color=colour, label=label)
    ax[0].set_xscale("log")
    ax[0].set_xlabel("training digits per network, P")
    ax[0].set_ylim(-0.03, 1.03)
    ax[0].legend(fontsize=8)
    ax[0].set_title("two networks, disjoint training sets")
    for name, colour, label in [("nearest_train_distance", "tab:red", "to own training digits"),
                                ("nearest_test_distance", "tab:green", "to held-out digits")]:
        v, e = column(s, name)
        ax[1].errorbar(P[order], v[order], yerr=e[order], marker="o", ms=4, capsize=2, color=colour, label=label)
    ax[1].set_xscale("log")
    ax[1].set_xlabel("training digits per network, P")
    ax[1].set_ylabel("mean nearest distance of an output")
    ax[1].legend(fontsize=8)
    save(fig, run, "transition")


def pairs(run, count=10):
    s = run.summary
    P = np.asarray(s["P"])
    chosen = [int(np.argmin(P)), int(np.argmax(P))]
    fig, axes = plt.subplots(4, count, figsize=(count * 0.9, 4 * 0.95 + 0.6), squeeze=False)
    for block, index in enumerate(chosen):
        t = run.tasks[index]
        a, b = t["samples_a"], t["samples_b"]
        cos = t["cross_similarity_per_sample"]
        for i in range(count):
            for k, x in enumerate((a, b)):
                ax = axes[2 * block + k, i]
                ax.imshow(x[i].reshape(8, 8), cmap="gray_r", vmin=-1, vmax=1)
                ax.set_xticks([])
                ax.set_yticks([])
                if k == 0:
                    ax.set_title(f"{cos[i]:.2f}", fontsize=7)
            axes[2 * block, 0].set_ylabel(f"P={P[index]}\nnet A", fontsize=7)
            axes[2 * block + 1, 0].set_ylabel(f"P={P[index]}\nnet B", fontsize=7)
    fig.suptitle("same initial noise (column), two networks trained on disjoint digits; title = cosine similarity",
                 fontsize=8)
    save(fig, run, "pairs")


def main():
    run = load_run()
    transition(run)
    pairs(run)


if __name__ == "__main__":
    main()
