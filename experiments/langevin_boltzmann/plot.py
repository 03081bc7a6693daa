#!/usr/bin/python3
"""Figures for langevin.boltzmann (1-D runs):
  <run>_histograms.png    sampled density of x against exp(-U/T)/Z, one panel per task
  <run>_trajectories.png  a few particles' x(t): hopping between the wells at high T, trapped at low T
  <run>_energy.png        mean energy with error bars against T, with the exact quadrature value
Usage: /usr/bin/python3 experiments/langevin_boltzmann/plot.py results/langevin_boltzmann.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402


def main():
    run = load_run()
    s = run.summary
    tasks = [t for t in run.tasks if t["histogram/density"].ndim == 1]
    if not tasks:
        sys.exit("no 1-D histograms in this file")

    cols = min(3, len(tasks))
    rows = (len(tasks) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3 * rows), squeeze=False)
    for ax, task in zip(axes.ravel(), tasks):
        edges = task["histogram/edges"]
        centres = 0.5 * (edges[1:] + edges[:-1])
        ax.step(centres, task["histogram/density"], where="mid", lw=1.2, label="sampled")
        if "exact/x" in task:
            ax.plot(task["exact/x"], task["exact/density"], "k--", lw=1, label=r"$e^{-U/T}/Z$")
        i = int(task.name.split("/")[-1]) if task.name.split("/")[-1].isdigit() else tasks.index(task)
        ax.set_title(f"T = {task.attrs['T']:g}, {task.attrs['integrator']}, dt = {task.attrs['dt']:g}\n"
                     f"TV = {s['tv_distance'][i]:.4f}", fontsize=9)
        ax.set_xlabel("x")
        ax.set_ylabel("density")
    for ax in axes.ravel()[len(tasks):]:
        ax.axis("off")
    axes[0, 0].legend(fontsize=8)
    save(fig, run, "histograms")

    with_traj = [t for t in tasks if "trajectory" in t]
    if with_traj:
        fig, axes = plt.subplots(len(with_traj), 1, figsize=(8, 1.6 * len(with_traj)), sharex=True, squeeze=False)
        for ax, task in zip(axes[:, 0], with_traj):
            tr, time = task["trajectory"], task["trajectory_time"]
            for p in range(tr.shape[1]):
                ax.plot(time, tr[:, p, 0], lw=0.6)
            ax.set_ylabel(f"T = {task.attrs['T']:g}", fontsize=8)
        axes[-1, 0].set_xlabel("time")
        fig.suptitle("x(t) of a few particles", fontsize=10)
        save(fig, run, "trajectories")

    T = np.asarray(s["T"], float)
    o = np.argsort(T)
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.errorbar(T[o], np.asarray(s["mean_energy"])[o], yerr=np.asarray(s["mean_energy_err"])[o], fmt="o", ms=4,
                capsize=2, label="sampled (binning error)")
    ax.plot(T[o], np.asarray(s["exact_mean_energy"])[o], "k-", lw=1, label="exact (quadrature)")
    ax.set_xlabel("T")
    ax.set_ylabel(r"$\langle U \rangle$")
    ax.legend(fontsize=8)
    save(fig, run, "energy")


if __name__ == "__main__":
    main()
