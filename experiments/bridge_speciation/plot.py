#!/usr/bin/python3
"""Figures for bridge.speciation:
  <run>_phi.png          clone agreement phi(t_b) measured (points) and theory (lines) for sigma = 1, against t_b
                         and against t_b - t_S (all d on one curve)
  <run>_t_speciation.png measured t_speciation (phi reaches 0.7752) minus t_S = ln(Lambda)/2, for every sigma and d,
                         with the exact crossing of the two-class theory
Usage: /usr/bin/python3 experiments/bridge_speciation/plot.py results/bridge_speciation.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np
from spindiff_plot import load_run, plt, save  # noqa: E402


def crossing(t, phi, level):
    """First t (scanning t decreasing) where phi reaches level, linearly interpolated."""
    order = np.argsort(t)[::-1]
    t, phi = np.asarray(t)[order], np.asarray(phi)[order]
    for k in range(len(t) - 1):
        if (phi[k] - level) * (phi[k + 1] - level) <= 0 and phi[k + 1] != phi[k]:
            return t[k] + (level - phi[k]) * (t[k + 1] - t[k]) / (phi[k + 1] - phi[k])
    return np.nan


def main():
    run = load_run()
    s = run.summary
    fig, (ax, ax_u) = plt.subplots(1, 2, figsize=(11, 4))
    level = None
    for task in run.tasks:
        if float(task.attrs["sigma"]) != 1.0:
            continue
        d = int(task.attrs["d"])
        ts = 0.5 * np.log(float(task.attrs["Lambda"]))
        level = float(task.attrs["phi_level"])
        line, = ax.plot(task["theory_t"], task["theory_phi"], lw=1)
        c = line.get_color()
        ax.errorbar(task["t_b"], task["phi"], yerr=task["phi_err"], fmt="o", ms=3, color=c, label=f"d = {d}")
        ax_u.plot(task["theory_t"] - ts, task["theory_phi"], lw=1, color=c)
        ax_u.errorbar(task["t_b"] - ts, task["phi"], yerr=task["phi_err"], fmt="o", ms=3, color=c, label=f"d = {d}")
    if level is not None:
        ax_u.axhline(level, color="k", ls=":", lw=1)
        ax_u.axvline(0, color="k", ls=":", lw=1)
        ax_u.text(0.05, level + 0.01, f"phi* = {level:.4f}", fontsize=8)
    ax.set_xlabel("clone time $t_b$")
    ax_u.set_xlabel(r"$t_b - \frac{1}{2}\ln \Lambda$")
    for a in (ax, ax_u):
        a.set_ylabel(r"$\phi$: both clones in the same class")
        a.legend(fontsize=8)
    fig.suptitle(r"Speciation, $\sigma$ = 1: cloning backward trajectories (points: simulation, lines: theory)",
                 fontsize=10)
    save(fig, run, "phi", dpi=110)

    fig, ax = plt.subplots(figsize=(6, 4.5))
    sig = np.asarray(s["sigma"], float)
    th = np.asarray(s["t_speciation_theory"], float)
    t, e = np.asarray(s["t_speciation"], float), np.asarray(s["t_speciation_err"], float)
    for k, sv in enumerate(np.unique(sig)):
        sel = sig == sv
        line = ax.errorbar(th[sel], t[sel] - th[sel], yerr=e[sel], fmt="o", capsize=3, label=rf"$\sigma$ = {sv:g}")
        exact = [crossing(task["theory_t"], task["theory_phi"], float(task.attrs["phi_level"])) - t_s
                 for task, t_s, keep in zip(run.tasks, th, sel) if keep]
        ax.plot(th[sel], exact, "--", lw=1, color=line[0].get_color())
    ax.axhline(0, color="k", lw=1)
    ax.set_xlabel(r"$t_S = \frac{1}{2}\ln \Lambda$, $\Lambda = |\mu|^2 + \sigma^2$")
    ax.set_ylabel(r"$t_{speciation} - t_S$ ($\phi$ reaches 0.7752)")
    ax.set_title("points: measured (4 repeats); dashed: exact two-class crossing", fontsize=9)
    ax.legend(fontsize=8)
    save(fig, run, "t_speciation", dpi=110)


if __name__ == "__main__":
    main()
