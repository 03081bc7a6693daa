"""Retrieval overlap m(alpha, T) of the Hopfield model with the AGS lines T_g = 1 + sqrt(alpha) and T_M(alpha)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402

run = load_run()
s, th = run.summary, run.theory
alphas, temps = np.unique(s["alpha"]), np.unique(s["T"])
grid = np.full((len(temps), len(alphas)), np.nan)
for a, T, m in zip(s["alpha"], s["T"], s["overlap"]):
    grid[np.searchsorted(temps, T), np.searchsorted(alphas, a)] = m
fig, ax = plt.subplots(figsize=(6.5, 5))
mesh = ax.pcolormesh(alphas, temps, grid, shading="nearest", vmin=0, vmax=1, cmap="viridis")
fig.colorbar(mesh, label="overlap m with the starting pattern")
ax.plot(th["ags/alpha"], th["ags/T_g"], "w--", label="T_g = 1 + sqrt(alpha)")
TM = th["ags/T_M"]
ok = TM > 0
ax.plot(th["ags/alpha"][ok], TM[ok], "r-", label="T_M (AGS, replica symmetric)")
ax.set_xlabel("alpha = P/N")
ax.set_ylabel("T")
ax.set_ylim(temps.min(), temps.max())
ax.legend(fontsize=8, loc="upper right")
save(fig, run, "phase_diagram")
