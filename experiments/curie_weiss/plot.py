"""One stored pattern (Curie-Weiss): m(T) from Monte Carlo against the solution of m = tanh(m/T)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402


def curie_weiss(T):
    m = 1.0
    for _ in range(20000):
        m = np.tanh(m / T)
    return m


run = load_run()
s = run.summary
T = np.linspace(0.25, 1.25, 300)
fig, ax = plt.subplots(figsize=(6, 4.5))
ax.plot(T, [curie_weiss(t) for t in T], "k-", label="m = tanh(m/T)")
ax.errorbar(s["T"], s["overlap"], yerr=s["overlap_err"], fmt="o", ms=4, label="Monte Carlo")
ax.set_xlabel("T")
ax.set_ylabel("overlap m")
ax.legend()
save(fig, run, "curie_weiss")
