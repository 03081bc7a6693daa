"""Sampler accuracy: error against NFE for Euler-Maruyama, predictor-corrector, Heun and DDPM, exact score.

    /usr/bin/python3 experiments/sampler_accuracy/plot.py results/sampler_accuracy.h5

Left: unbiased MMD^2 against fresh data (it falls as the square of the distribution error, so slopes -2 and -4
correspond to first and second order). Right: sliced W2 (slopes -1 and -2), with its finite-sample floor.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402


def main():
    run = load_run()
    s = run.summary
    fig, (ax_mmd, ax_sw) = plt.subplots(1, 2, figsize=(11, 4.5))
    for sampler in dict.fromkeys(s["sampler"]):
        sel = s["sampler"] == sampler
        order = np.argsort(s["nfe"][sel])
        nfe = s["nfe"][sel][order]
        ax_mmd.errorbar(nfe, np.abs(s["mmd"][sel][order]), yerr=s["mmd_err"][sel][order], marker="o", label=sampler,
                        capsize=2)
        ax_sw.errorbar(nfe, s["sliced_w2"][sel][order], yerr=s["sliced_w2_err"][sel][order], marker="o",
                       label=sampler, capsize=2)
    n = np.array([8.0, 256.0])
    ax_mmd.plot(n, 0.5 * (n / 8) ** -2.0, "k--", lw=0.8, label="slope -2 (order 1)")
    ax_mmd.plot(n, 0.5 * (n / 8) ** -4.0, "k:", lw=0.8, label="slope -4 (order 2)")
    ax_sw.plot(n, 1.0 * (n / 8) ** -1.0, "k--", lw=0.8, label="slope -1")
    ax_sw.plot(n, 1.0 * (n / 8) ** -2.0, "k:", lw=0.8, label="slope -2")
    for ax, name in ((ax_mmd, "|MMD²| (unbiased)"), (ax_sw, "sliced W2")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("NFE (score evaluations)")
        ax.set_ylabel(name)
        ax.legend(fontsize=8)
    fig.suptitle("exact score of a 3-component 2-D Gaussian mixture")
    save(fig, run, "error_vs_nfe")


if __name__ == "__main__":
    main()
