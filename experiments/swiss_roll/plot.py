#!/usr/bin/python3
"""Swiss roll: learned-score samples beside the training data, and the DSM loss curve.

usage: /usr/bin/python3 experiments/swiss_roll/plot.py results/swiss_roll.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402


def smooth(y, window):
    window = max(1, min(window, len(y)))
    kernel = np.ones(window) / window
    return np.convolve(y, kernel, mode="valid")


def main():
    run = load_run()
    for task in run.tasks:
        index = task.name.rsplit("/", 1)[-1]
        fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
        data, samples = task["data"], task["samples"]
        lim = 1.1 * np.abs(data).max()
        for ax, pts, title, colour in ((axes[0], data, "training data", "tab:blue"),
                                       (axes[1], samples, "samples (learned score, PF-ODE Heun)", "tab:red")):
            ax.scatter(pts[:, 0], pts[:, 1], s=2, alpha=0.5, color=colour)
            ax.set_title(f"{title}, n = {len(pts)}")
            ax.set_xlim(-lim, lim)
            ax.set_ylim(-lim, lim)
            ax.set_aspect("equal")
        loss = np.atleast_2d(task["loss"])
        steps = np.arange(1, loss.shape[1] + 1)
        for r, curve in enumerate(loss):
            axes[2].plot(steps, curve, color="0.8", lw=0.3, label="minibatch" if r == 0 else None)
            w = max(1, len(curve) // 100)
            axes[2].plot(steps[w - 1:], smooth(curve, w), color="k", lw=1.2, label=f"mean of {w} steps" if r == 0 else None)
        axes[2].set_xscale("log")
        axes[2].set_xlabel("Adam step")
        axes[2].set_ylabel(r"DSM loss  $\langle\|\hat\epsilon-\epsilon\|^2\rangle$  ($\lambda=\sigma^2$)")
        mmd = run.summary["mmd"][int(index)] if "mmd" in run.summary else float("nan")
        final = run.summary["final_loss"][int(index)]
        axes[2].set_title(f"final loss {final:.3f}, MMD$^2$ to fresh data {mmd:.2e}")
        axes[2].legend()
        save(fig, run, f"task{index}", dpi=130)


if __name__ == "__main__":
    main()
