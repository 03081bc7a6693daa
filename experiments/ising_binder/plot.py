"""Binder cumulant U4(T) for several L: the curves cross near T_c at U* = 0.611 (Salas & Sokal 2000)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402

run = load_run()
s = run.summary
fig, ax = plt.subplots(figsize=(6, 4.5))
for L in np.unique(s["L"]):
    sel = s["L"] == L
    ax.errorbar(s["T"][sel], s["binder"][sel], yerr=s["binder_err"][sel], fmt="o-", ms=3, label=f"L = {L}")
ax.axhline(0.61069, color="k", ls="--", lw=1, label="U* = 0.61069")
ax.axvline(2 / np.log(1 + np.sqrt(2)), color="gray", ls=":", label="T_c")
ax.set_xlabel("T")
ax.set_ylabel("U4 = 1 - <m^4>/(3<m^2>^2)")
ax.legend(fontsize=8)
save(fig, run, "binder")
