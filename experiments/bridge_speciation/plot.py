#!/usr/bin/python3
"""Figures for bridge.speciation:
  <run>_phi.png         clone agreement phi(t_b) measured (points) and theory (lines) for each d, against t_b and
                        against t_b - ln(d)/2 (all d on one universal curve; phi(t_S) = 0.7752)
  <run>_t_speciation.png measured t_speciation against ln(d)/2
Usage: /usr/bin/python3 experiments/bridge_speciation/plot.py results/bridge_speciation.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np
from spindiff_plot import load_run, plt, save  # noqa: E402


def main():
    run = load_run()
    s = run.summary
    fig, (ax, ax_u) = plt.subplots(1, 2, figsize=(11, 4))
    for task in run.tasks:
        d = int(task.attrs["d"])
        ts = 0.5 * np.log(d)
        line, = ax.plot(task["theory_t"], task["theory_phi"], lw=1)
        c = line.get_color()
        ax.errorbar(task["t_b"], task["phi"], yerr=task["phi_err"], fmt="o", ms=3, color=c, label=f"d = {d}")
        ax_u.plot(task["theory_t"] - ts, task["theory_phi"], lw=1, color=c)
        ax_u.errorbar(task["t_b"] - ts, task["phi"], yerr=task["phi_err"], fmt="o", ms=3, color=c, label=f"d = {d}")
    phi_ts = float(np.asarray(s["phi_speciation_theory"])[0])
    ax_u.axhline(phi_ts, color="k", ls=":", lw=1)
    ax_u.axvline(0, color="k", ls=":", lw=1)
    ax_u.text(0.05, phi_ts + 0.01, f"phi(t_S) = {phi_ts:.4f}", fontsize=8)
    ax.set_xlabel("clone time $t_b$")
    ax_u.set_xlabel(r"$t_b - \frac{1}{2}\ln d$")
    for a in (ax, ax_u):
        a.set_ylabel(r"$\phi$: both clones in the same class")
        a.legend(fontsize=8)
    fig.suptitle("Speciation: cloning backward trajectories (points: simulation, lines: theory)", fontsize=10)
    save(fig, run, "phi", dpi=110)

    fig, ax = plt.subplots(figsize=(5, 4))
    th = np.asarray(s["t_speciation_theory"], float)
    ax.errorbar(th, np.asarray(s["t_speciation"], float), yerr=np.asarray(s["t_speciation_err"], float), fmt="o",
                capsize=3, label="measured")
    ax.plot(th, th, "k-", lw=1, label=r"$t_S = \frac{1}{2}\ln d$")
    ax.set_xlabel(r"$\frac{1}{2}\ln d$")
    ax.set_ylabel(r"$t_{speciation}$ (measured $\phi$ crosses $\phi(t_S)$)")
    ax.legend(fontsize=8)
    save(fig, run, "t_speciation", dpi=110)


if __name__ == "__main__":
    main()
