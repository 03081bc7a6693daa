#!/usr/bin/python3
"""Figure for langevin.escape:
  <run>_arrhenius.png  log mean first-passage time against 1/T: simulation, exact 1-D quadrature, Kramers;
                       right panel: ratio simulation / exact and Kramers / exact
Usage: /usr/bin/python3 experiments/kramers/plot.py results/kramers.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402


def main():
    run = load_run()
    s = run.summary
    T = np.asarray(s["T"], float)
    o = np.argsort(T)[::-1]
    T = T[o]
    mfpt, err = np.asarray(s["mfpt"])[o], np.asarray(s["mfpt_err"])[o]
    exact, kramers = np.asarray(s["mfpt_exact"])[o], np.asarray(s["mfpt_kramers"])[o]

    fig, (ax, ax_r) = plt.subplots(1, 2, figsize=(10, 4))
    ax.errorbar(1 / T, mfpt, yerr=err, fmt="o", ms=4, capsize=2, label="simulation (Euler-Maruyama)")
    ax.semilogy(1 / T, exact, "k-", lw=1.2, label=r"exact: $\frac{1}{T}\int e^{U/T}\int e^{-U/T}$")
    ax.semilogy(1 / T, kramers, "r--", lw=1, label="Kramers $2\\pi/\\sqrt{U''_{min}|U''_b|}\\, e^{\\Delta U/T}$")
    ax.set_xlabel("1 / T")
    ax.set_ylabel("mean first-passage time")
    ax.set_title("Arrhenius plot, U = x^4/4 - x^2/2, from -1 to +1", fontsize=9)
    ax.legend(fontsize=8)
    ax_r.errorbar(1 / T, mfpt / exact, yerr=err / exact, fmt="o", ms=4, capsize=2, label="simulation / exact")
    ax_r.plot(1 / T, kramers / exact, "r--", label="Kramers / exact")
    ax_r.axhline(1, color="k", lw=0.8)
    ax_r.set_xlabel("1 / T")
    ax_r.set_ylabel("ratio to the exact MFPT")
    ax_r.legend(fontsize=8)
    save(fig, run, "arrhenius")


if __name__ == "__main__":
    main()
