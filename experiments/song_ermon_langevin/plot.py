"""Song & Ermon (2019) Fig. 3: samples of plain and annealed Langevin beside the data, and the mode weights.

    /usr/bin/python3 experiments/song_ermon_langevin/plot.py results/song_ermon_langevin.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402


def main():
    run = load_run()
    tasks = run.tasks
    fig, axes = plt.subplots(1, len(tasks) + 2, figsize=(4 * (len(tasks) + 2), 4))
    data = tasks[0]["data"]
    axes[0].scatter(data[:, 0], data[:, 1], s=2, alpha=0.5, color="gray")
    axes[0].set_title("data: 0.2 N((-5,-5), I) + 0.8 N((5,5), I)")
    for ax, task in zip(axes[1:], tasks):
        x = task["samples"]
        ax.scatter(x[:, 0], x[:, 1], s=2, alpha=0.5)
        if "trajectories" in task:
            # Annealed runs: only the last levels (sigma <= 3); earlier frames jump across the whole box.
            keep = task["trajectory_times"] <= 3.0 if task.attrs["sampler"] == "annealed_langevin" else slice(None)
            for k in range(task["trajectories"].shape[1]):
                tr = task["trajectories"][keep, k, :]
                ax.plot(tr[:, 0], tr[:, 1], lw=0.6, alpha=0.7)
        f = task["mode_fractions"]
        ax.set_title(f"{task.attrs['sampler']}: fractions {f[0]:.3f} / {f[1]:.3f}")
    for ax in axes[:-1]:
        ax.set_xlim(-10, 10)
        ax.set_ylim(-10, 10)
        ax.set_aspect("equal")
    # Mode fractions (mean over repeats) against the true weights.
    ax = axes[-1]
    width = 0.8 / (len(tasks) + 1)
    w = tasks[0]["weights"]
    idx = np.arange(len(w))
    ax.bar(idx, w, width, label="true weights", color="gray")
    for j, task in enumerate(tasks):
        ax.bar(idx + (j + 1) * width, task["mode_fractions"], width, label=task.attrs["sampler"])
    ax.set_xticks(idx + width * len(tasks) / 2)
    ax.set_xticklabels(["mode (-5,-5)", "mode (5,5)"])
    ax.set_ylabel("fraction of samples")
    ax.legend()
    save(fig, run, "samples")


if __name__ == "__main__":
    main()
