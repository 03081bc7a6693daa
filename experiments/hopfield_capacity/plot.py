#!/usr/bin/python3
"""Figure for hopfield.capacity:
  <run>_capacity.png  final overlap (and wrong-bit fraction) against alpha for each N, with the AGS T = 0
                      replica-symmetric curve from /theory (alpha_c = 0.138, m_c = 0.967)
Usage: /usr/bin/python3 experiments/hopfield_capacity/plot.py results/hopfield_capacity.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402


def main():
    run = load_run()
    s = run.summary
    N, alpha = np.asarray(s["N"]), np.asarray(s["alpha"], float)
    m, m_err = np.asarray(s["overlap"], float), np.asarray(s["overlap_err"], float)
    e, e_err = np.asarray(s["error_fraction"], float), np.asarray(s["error_fraction_err"], float)
    rules = np.asarray(s["rule"]) if "rule" in s else np.array(["hebb"] * len(N))

    fig, (ax_m, ax_e) = plt.subplots(1, 2, figsize=(10, 4))
    if run.theory is not None:
        a_th, m_th = run.theory["alpha"], run.theory["overlap"]
        ac, mc = float(run.theory.attrs["alpha_c"]), float(run.theory.attrs["m_c"])
        retrieval = a_th < ac
        ax_m.plot(a_th[retrieval], m_th[retrieval], "k-", lw=1.5, label="AGS theory (RS, T = 0)")
        ax_m.plot([ac, ac], [mc, 0.0], "k:", lw=1)
        ax_m.annotate(f"$\\alpha_c$ = {ac:.4f}\n$m_c$ = {mc:.4f}", (ac, mc), xytext=(ac + 0.02, 0.55),
                      arrowprops=dict(arrowstyle="->", lw=0.8), fontsize=8)
        ax_e.semilogy(a_th[retrieval], run.theory["error_fraction"][retrieval], "k-", lw=1.5, label="AGS theory")
        ax_e.axvline(ac, color="k", ls=":", lw=1)
        ax_e.axhline((1 - mc) / 2, color="gray", ls=":", lw=1)
        ax_e.text(0.5 * ac, (1 - mc) / 2 * 1.3, f"(1 - m_c)/2 = {(1 - mc) / 2:.2%}", fontsize=8)
    for rule in np.unique(rules):
        for n in np.unique(N):
            sel = (N == n) & (rules == rule)
            o = np.argsort(alpha[sel])
            label = f"N = {n}" + ("" if len(np.unique(rules)) == 1 else f" ({rule})")
            ax_m.errorbar(alpha[sel][o], m[sel][o], yerr=m_err[sel][o], marker="o", ms=3, capsize=2, label=label)
            pos = e[sel][o] > 0
            lo = np.minimum(e_err[sel][o][pos], 0.9 * e[sel][o][pos])  # keep log-scale bars positive
            ax_e.errorbar(alpha[sel][o][pos], e[sel][o][pos], yerr=[lo, e_err[sel][o][pos]], marker="o", ms=3,
                          capsize=2, label=label)
    ax_m.set_xlabel(r"load $\alpha = P/N$")
    ax_m.set_ylabel("final overlap m with the starting pattern")
    ax_m.set_ylim(0, 1.02)
    ax_m.legend(fontsize=8, loc="lower left")
    ax_e.set_xlabel(r"load $\alpha = P/N$")
    ax_e.set_ylabel("wrong-bit fraction (1 - m)/2")
    ax_e.set_ylim(1e-6, 1)
    ax_e.legend(fontsize=8, loc="lower right")
    fig.suptitle("Hopfield storage capacity: T = 0 recall from a stored pattern", fontsize=10)
    save(fig, run, "capacity")


if __name__ == "__main__":
    main()
