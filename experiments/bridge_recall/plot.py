#!/usr/bin/python3
"""Figures for bridge.recall:
  <run>_capacity.png  mean final overlap and retrieved fraction against the load, one curve per method
                      (and per N); the linear load marks Hebb's alpha_c = 0.138, the exponential load the
                      large-N estimate alpha_c = (1 - 2 noise)^2 / 2 for the softmax memories
Usage: /usr/bin/python3 experiments/bridge_recall/plot.py results/bridge_recall.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np
from spindiff_plot import load_run, plt, save  # noqa: E402


def main():
    run = load_run()
    s = run.summary
    method = np.asarray(s["method"])
    N, alpha = np.asarray(s["N"]), np.asarray(s["alpha"], float)
    m, m_err = np.asarray(s["overlap"], float), np.asarray(s["overlap_err"], float)
    ret = np.asarray(s["retrieved_fraction"], float)
    noise = float(np.asarray(s["noise"])[0])
    exponential = run.tasks[0].attrs.get("load", "linear") == "exponential"

    fig, (ax_m, ax_r) = plt.subplots(1, 2, figsize=(10, 4))
    styles = {"hebb": ("o", "-"), "modern": ("s", "-"), "diffusion": ("x", "--"), "learned": ("^", "-")}
    for meth in ["hebb", "modern", "diffusion", "learned"]:
        for n in np.unique(N):
            sel = (method == meth) & (N == n)
            if not sel.any():
                continue
            o = np.argsort(alpha[sel])
            label = meth + ("" if len(np.unique(N)) == 1 else f", N = {n}")
            mk, ls = styles[meth]  # modern and diffusion often coincide: different markers keep both visible
            ax_m.errorbar(alpha[sel][o], m[sel][o], yerr=m_err[sel][o], marker=mk, ls=ls, ms=4, capsize=2, label=label)
            ax_r.plot(alpha[sel][o], ret[sel][o], marker=mk, ls=ls, ms=4, label=label)
    xlabel = r"$\alpha = \ln P / N$" if exponential else r"load $\alpha = P/N$"
    for ax in (ax_m, ax_r):
        if exponential:
            ac = (1 - 2 * noise) ** 2 / 2
            ax.axvline(ac, color="k", ls=":", lw=1)
            ax.text(ac, 0.05, r" $(1-2q)^2/2$", fontsize=8)
        else:
            ax.axvline(0.138, color="k", ls=":", lw=1)
            ax.text(0.138, 0.05, r" Hebb $\alpha_c$ = 0.138", fontsize=8)
            ax.set_xscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylim(-0.02, 1.02)
    ax_m.set_ylabel("final overlap with the cued pattern")
    ax_r.set_ylabel(f"retrieved fraction (overlap >= {run.tasks[0].attrs.get('threshold', 0.95)})")
    ax_m.legend(fontsize=8, loc="lower left")
    fig.suptitle(f"Recall from a cue with {noise:.0%} flipped entries", fontsize=10)
    save(fig, run, "capacity", dpi=110)


if __name__ == "__main__":
    main()
