#!/usr/bin/python3
"""Figures for bridge.collapse:
  <run>_curves.png  per (d, P): posterior entropy per dimension S/d against t with the excess entropy f^e(t),
                    and the nearest-neighbour fraction; t_C marked
  <run>_t_collapse.png  measured t_collapse (entropy) and t_collapse_nn against t_C
Usage: /usr/bin/python3 experiments/bridge_collapse/plot.py results/bridge_collapse.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np
from spindiff_plot import load_run, plt, save  # noqa: E402


def main():
    run = load_run()
    s = run.summary
    ds = np.unique(np.asarray(s["d"]))
    fig, axes = plt.subplots(2, len(ds), figsize=(4 * len(ds), 6.5), squeeze=False)
    for task, tc in zip(run.tasks, np.asarray(s["t_collapse_theory"], float)):
        d, P = int(task.attrs["d"]), int(task.attrs["P"])
        col = list(ds).index(d)
        t = task["times"]
        ax, ax_nn = axes[0][col], axes[1][col]
        line, = ax.plot(t, task["entropy_per_dim"], lw=1.5, label=f"P = {P}")
        c = line.get_color()
        ax.plot(t, np.maximum(task["excess_entropy_theory"], 0), "--", color=c, lw=1)
        ax.axvline(tc, color=c, ls=":", lw=1)
        ax_nn.plot(t, task["nn_fraction"], lw=1.5, color=c, label=f"P = {P}")
        ax_nn.axvline(tc, color=c, ls=":", lw=1)
        ax.set_title(f"d = {d}", fontsize=9)
    for col in range(len(ds)):
        axes[0][col].set_ylabel("posterior entropy / d  (dashed: $f^e(t)$)")
        axes[1][col].set_ylabel("fraction nearest = landing point")
        axes[1][col].set_xlabel("t (backward)")
        axes[0][col].set_xlim(0, 2)
        axes[1][col].set_xlim(0, 2)
        axes[0][col].legend(fontsize=7)
    fig.suptitle("Collapse onto training points (dotted: $t_C$)", fontsize=10)
    save(fig, run, "curves", dpi=100)

    fig, ax = plt.subplots(figsize=(5, 4))
    th = np.asarray(s["t_collapse_theory"], float)
    ax.errorbar(th, np.asarray(s["t_collapse"], float), yerr=np.asarray(s["t_collapse_err"], float), fmt="o",
                capsize=2, label="entropy falls to ln 2")
    ax.errorbar(th, np.asarray(s["t_collapse_nn"], float), yerr=np.asarray(s["t_collapse_nn_err"], float), fmt="s",
                capsize=2, label="nearest-neighbour fraction 1/2")
    lim = [0, max(th.max(), np.nanmax(np.asarray(s["t_collapse_nn"], float))) * 1.1]
    ax.plot(lim, lim, "k-", lw=1)
    ax.set_xlabel(r"$t_C = \frac{1}{2}\ln(1 + \sigma^2/(P^{2/d}-1))$")
    ax.set_ylabel("measured collapse time")
    ax.legend(fontsize=8)
    save(fig, run, "t_collapse", dpi=110)


if __name__ == "__main__":
    main()
