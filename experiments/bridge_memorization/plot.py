#!/usr/bin/python3
"""Figures for bridge.memorization:
  <run>_transition.png  copy fraction (nearest/second-nearest distance ratio < 1/3) and MMD^2 to the true
                        distribution against P, learned score and empirical score; the copy fraction of fresh
                        true samples is the baseline
Usage: /usr/bin/python3 experiments/bridge_memorization/plot.py results/bridge_memorization.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np
from spindiff_plot import load_run, plt, save  # noqa: E402


def main():
    run = load_run()
    s = run.summary
    score, P = np.asarray(s["score"]), np.asarray(s["P"], float)
    fig, (ax_c, ax_m) = plt.subplots(1, 2, figsize=(10, 4))
    for name, style in [("learned", "o-"), ("empirical", "s--")]:
        sel = score == name
        if not sel.any():
            continue
        o = np.argsort(P[sel])
        ax_c.errorbar(P[sel][o], np.asarray(s["copy_fraction"], float)[sel][o],
                      yerr=np.asarray(s["copy_fraction_err"], float)[sel][o], fmt=style, ms=4, capsize=2,
                      label=f"{name} score")
        ax_m.errorbar(P[sel][o], np.asarray(s["mmd"], float)[sel][o], yerr=np.asarray(s["mmd_err"], float)[sel][o],
                      fmt=style, ms=4, capsize=2, label=f"{name} score")
    sel = score == score[0]
    o = np.argsort(P[sel])
    ax_c.plot(P[sel][o], np.asarray(s["copy_fraction_true"], float)[sel][o], "k:", label="fresh true samples")
    ax_m.plot(P[sel][o], np.asarray(s["mmd_training"], float)[sel][o], "k:", label="training set itself")
    for ax in (ax_c, ax_m):
        ax.set_xscale("log")
        ax.set_xlabel("training samples P")
        ax.legend(fontsize=8)
    ax_c.set_ylabel("copy fraction ($d_1/d_2 < 1/3$)")
    ax_m.set_ylabel("MMD$^2$ to the true distribution")
    fig.suptitle("Memorisation to generalisation (fixed network, fixed training steps)", fontsize=10)
    save(fig, run, "transition", dpi=110)


if __name__ == "__main__":
    main()
