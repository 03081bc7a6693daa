#!/usr/bin/python3
"""Figures for bridge.landscape:
  <run>_task<k>.png  the energy -Delta_t log p_t at the snapshot times (1-D: curves, 2-D: maps with the
                     training points), and the number of energy minima against t (dotted: the measured
                     symmetry-breaking time)
Usage: /usr/bin/python3 experiments/bridge_landscape/plot.py results/bridge_landscape.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np
from spindiff_plot import load_run, plt, save  # noqa: E402


def main():
    run = load_run()
    s = run.summary
    for k, task in enumerate(run.tasks):
        dim, points = int(task.attrs["dim"]), task.attrs["points"]
        times, axis, energy, training = task["times"], task["axis"], task["energy"], task["training"]
        t_break = float(np.asarray(s["t_symmetry_breaking"])[k])
        t_theory = float(np.asarray(s["t_symmetry_breaking_theory"])[k])
        if dim == 1:
            fig, (ax, ax_n) = plt.subplots(1, 2, figsize=(10, 4))
            for t, e in zip(times, energy):
                ax.plot(axis, e - e.min(), lw=1.2, label=f"t = {t:g}")
            for x in training[:, 0]:
                ax.axvline(x, color="gray", lw=0.5, ls=":")
            ax.set_xlabel("x")
            ax.set_ylabel(r"$-\Delta_t \log p_t(x)$ (shifted)")
            ax.set_ylim(0, None)
            ax.legend(fontsize=7)
        else:
            n = len(times)
            fig = plt.figure(figsize=(3 * (n // 2 + 1), 6))
            grid = fig.add_gridspec(2, n // 2 + 1)
            for j, (t, e) in enumerate(zip(times, energy)):
                a = fig.add_subplot(grid[j % 2, j // 2])
                rel = e - e.min()
                # Clip the colours to the low-energy part: far from the points the energy is just |x|^2 / 2.
                a.imshow(rel, origin="lower", extent=[axis[0], axis[-1], axis[0], axis[-1]], cmap="viridis",
                         vmax=np.percentile(rel, 35))
                a.contour(axis, axis, rel, levels=np.linspace(0, np.percentile(rel, 35), 8), colors="w",
                          linewidths=0.4)
                a.plot(training[:, 0], training[:, 1], "r.", ms=4)
                a.set_title(f"t = {t:g}", fontsize=8)
                a.set_xticks([])
                a.set_yticks([])
            ax_n = fig.add_subplot(grid[:, n // 2])
        ax_n.step(task["scan_times"], task["scan_minima"], where="mid")
        ax_n.axvline(t_break, color="k", ls=":", lw=1)
        ax_n.text(t_break, 1.05, f" t = {t_break:.4f}\n (estimate {t_theory:.4f})", fontsize=8)
        ax_n.set_xscale("log")
        ax_n.set_xlabel("t")
        ax_n.set_ylabel("energy minima")
        fig.suptitle(f"Energy landscape, {dim}-D, {points} points", fontsize=10)
        save(fig, run, f"task{k}", dpi=90)


if __name__ == "__main__":
    main()
