"""tau_int of the energy at T_c against L for Metropolis and Wolff, with fitted dynamic exponents z."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402

run = load_run()
s = run.summary
fig, ax = plt.subplots(figsize=(6, 4.5))
for alg in np.unique(s["algorithm"]):
    sel = s["algorithm"] == alg
    L, tau = s["L"][sel].astype(float), s["tau_energy"][sel]
    z, a = np.polyfit(np.log(L), np.log(tau), 1)
    ax.loglog(L, tau, "o", label=f"{alg}: z = {z:.2f}")
    ax.loglog(L, np.exp(a) * L ** z, "-", lw=1)
ax.set_xlabel("L")
ax.set_ylabel("tau_int(energy) [sweeps]")
ax.set_title("T = T_c (references: Metropolis z ~ 2.17, Wolff z ~ 0.25)")
ax.legend()
save(fig, run, "tau")
