#!/usr/bin/python3
"""Figure for the integrator_bias run of langevin.boltzmann:
  <run>_bias.png  |<U> - <U>_exact| and the TV distance against dt for each integrator, log-log, with
                  reference slopes dt and dt^2 (Euler-Maruyama first order, BAOAB second, MALA unbiased)
Usage: /usr/bin/python3 experiments/integrator_bias/plot.py results/integrator_bias.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402


def main():
    run = load_run()
    s = run.summary
    method = np.asarray(s["integrator"])
    dt = np.asarray(s["dt"], float)
    bias = np.asarray(s["mean_energy"]) - np.asarray(s["exact_mean_energy"])
    err = np.asarray(s["mean_energy_err"])
    tv = np.asarray(s["tv_distance"])

    fig, (ax, ax_tv) = plt.subplots(1, 2, figsize=(10, 4))
    for m in np.unique(method):
        sel = method == m
        o = np.argsort(dt[sel])
        x, b, e = dt[sel][o], bias[sel][o], err[sel][o]
        line = ax.errorbar(x, np.abs(b), yerr=e, marker="o", ms=4, capsize=2, label=m)
        ax.plot(x, 2 * e, ls=":", color=line[0].get_color(), lw=0.8)  # 2-sigma noise floor
        ax_tv.loglog(x, tv[sel][o], marker="o", ms=4, label=m)
    ref = np.array([dt.min(), dt.max()])
    scale = np.nanmax(np.abs(bias[method == "euler"])) if np.any(method == "euler") else 1.0
    ax.plot(ref, scale * ref / ref.max(), "k--", lw=0.8, label=r"$\propto dt$")
    ax.plot(ref, scale * (ref / ref.max()) ** 2, "k-.", lw=0.8, label=r"$\propto dt^2$")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("dt")
    ax.set_ylabel(r"$|\langle U\rangle - \langle U\rangle_{exact}|$  (dotted: 2 SE)")
    ax.set_title(f"double well, T = {float(s['T'][0]) if 'T' in s else run.tasks[0].attrs['T']:g}", fontsize=9)
    ax.legend(fontsize=8)
    ax_tv.set_xlabel("dt")
    ax_tv.set_ylabel("TV distance to exp(-U/T)/Z")
    ax_tv.legend(fontsize=8)
    save(fig, run, "bias")


if __name__ == "__main__":
    main()
