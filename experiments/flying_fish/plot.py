#!/usr/bin/python3
"""Guidance and composition with exact scores: the figures of diffusion.guidance and diffusion.compose runs.

usage: /usr/bin/python3 experiments/flying_fish/plot.py results/flying_fish_guidance.h5
       /usr/bin/python3 experiments/flying_fish/plot.py results/flying_fish_compose.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402


def guidance(run):
    """Samples against the tilted law per guidance weight (one row per sampler), and accuracy against w."""
    samplers = sorted({t.attrs["sampler"] for t in run.tasks})
    weights = sorted({float(t.attrs["guidance"]) for t in run.tasks})
    fig, axes = plt.subplots(len(samplers), len(weights), figsize=(3.2 * len(weights), 3.0 * len(samplers)),
                             squeeze=False, sharex=True)
    for task in run.tasks:
        row, col = samplers.index(task.attrs["sampler"]), weights.index(float(task.attrs["guidance"]))
        ax = axes[row][col]
        x = task["samples"]
        ax.hist(x, bins=80, range=(-3, 7), density=True, color="tab:red", alpha=0.5, label="guided samples")
        ax.plot(task["tilted_grid"], task["tilted_density"], "k", lw=1.2, label="tilted law")
        ax.axvline(np.mean(task["sample_mean"]), color="tab:red", lw=0.8)
        ax.axvline(task.attrs["tilted_mean"], color="k", lw=0.8, ls="--")
        ax.set_xlim(-3, 7)
        ax.set_title(f"{task.attrs['sampler']}, w = {task.attrs['guidance']:g}", fontsize=9)
        if row == 0 and col == 0:
            ax.legend(fontsize=7)
    save(fig, run, "samples")

    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    for sampler in samplers:
        idx = [i for i, t in enumerate(run.tasks) if t.attrs["sampler"] == sampler]
        w = np.array([float(run.tasks[i].attrs["guidance"]) for i in idx])
        for a, name in ((ax[0], "class_accuracy"), (ax[1], "tilted_tv")):
            a.errorbar(w, run.column(name)[idx], run.column(name + "_err")[idx], marker="o", capsize=3, label=sampler)
        ax[1].errorbar(w, run.column("tilted_tv_null")[idx], run.column("tilted_tv_null_err")[idx], color="0.5",
                       ls=":", marker=".", label="null (exact draws)" if sampler == samplers[0] else None)
    ax[0].set_ylabel("class accuracy (Bayes classifier)")
    ax[1].set_ylabel("TV distance to the tilted law")
    for a in ax:
        a.set_xlabel("guidance weight w")
        a.legend(fontsize=8)
    save(fig, run, "accuracy")


def compose(run):
    """Samples of the summed scores with each corrector, beside exact samples of the product."""
    fig, axes = plt.subplots(1, len(run.tasks) + 1, figsize=(3.6 * (len(run.tasks) + 1), 3.8))
    exact = run.tasks[0]["product_samples"]
    panels = [(exact, "exact product p_A p_B", "k")]
    for task in run.tasks:
        panels.append((task["samples"], f"summed scores, corrector = {task.attrs['corrector']}", "tab:red"))
    mmd, err = run.column("product_mmd"), run.column("product_mmd_err")
    null, null_err = run.column("product_mmd_null"), run.column("product_mmd_null_err")
    for k, (ax, (pts, title, colour)) in enumerate(zip(axes, panels)):
        ax.scatter(pts[:, 0], pts[:, 1], s=1.5, alpha=0.4, color=colour)
        if k > 0:
            title += f"\nMMD² = {mmd[k - 1]:.1e} ± {err[k - 1]:.0e} (null {null[k - 1]:.0e})"
        ax.set_title(title, fontsize=8)
        ax.set_xlim(-3.5, 3.5)
        ax.set_ylim(-3.5, 3.5)
        ax.set_aspect("equal")
    save(fig, run, "samples")


def main():
    run = load_run()
    kind = run.attrs.get("kind")
    if kind == "diffusion.guidance":
        guidance(run)
    elif kind == "diffusion.compose":
        compose(run)
    else:
        sys.exit(f"{run.path}: expected a diffusion.guidance or diffusion.compose run, not {kind}")


if __name__ == "__main__":
    main()
