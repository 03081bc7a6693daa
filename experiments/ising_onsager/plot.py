"""Energy, |M| and specific heat of the 2-D Ising model against T, with Onsager's and Yang's exact curves."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402

run = load_run()
s, th = run.summary, run.theory
fig, axes = plt.subplots(1, 3, figsize=(14, 4))
for ax, col, label in zip(axes, ["energy", "abs_magnetization", "specific_heat"], ["energy per spin", "<|m|>", "specific heat"]):
    for L in np.unique(s["L"]):
        sel = s["L"] == L
        ax.errorbar(s["T"][sel], s[col][sel], yerr=s[col + "_err"][sel], fmt="o", ms=3, label=f"L = {L}")
    if th is not None and "onsager" in th:
        ax.plot(th["onsager/T"], th[f"onsager/{col}"], "k-", lw=1, label="exact (L = inf)")
        ax.axvline(th.attrs["critical_temperature"], color="gray", ls=":")
    ax.set_xlabel("T")
    ax.set_ylabel(label)
axes[2].set_ylim(0, 2.5)
axes[0].legend(fontsize=8)
save(fig, run, "onsager")
