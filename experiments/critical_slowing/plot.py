"""tau_int of the signed magnetisation at T_c against L (checkerboard Metropolis), with the dynamic exponent z from
a weighted least-squares fit of ln tau = a + z ln L; the errors of tau are the standard errors over the repeats."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402


def weighted_slope(x, y, sy):
    """Slope and its standard error of the least-squares line through (x, y) with weights 1/sy^2."""
    w = 1.0 / sy**2
    xm = np.sum(w * x) / np.sum(w)
    ym = np.sum(w * y) / np.sum(w)
    sxx = np.sum(w * (x - xm) ** 2)
    z = np.sum(w * (x - xm) * (y - ym)) / sxx
    chi2 = np.sum(w * (y - ym - z * (x - xm)) ** 2)
    return z, 1.0 / np.sqrt(sxx), ym - z * xm, chi2


run = load_run()
s = run.summary
order = np.argsort(s["L"])
L = np.asarray(s["L"], float)[order]
tau = np.asarray(s["tau_magnetization"], float)[order]
err = np.asarray(s["tau_magnetization_err"], float)[order]
x, y, sy = np.log(L), np.log(tau), err / tau
z, z_err, a, chi2 = weighted_slope(x, y, sy)
for Li, t, e in zip(L, tau, err):
    print(f"L = {Li:.0f}: tau_magnetization = {t:.1f} +- {e:.1f} sweeps")
print(f"z = {z:.3f} +- {z_err:.3f} (weighted fit over L = {L.min():.0f} ... {L.max():.0f}; "
      f"chi^2 = {chi2:.2f} for {len(L) - 2} degrees of freedom)")
for k in range(len(L) - 1):
    local = (y[k + 1] - y[k]) / (x[k + 1] - x[k])
    local_err = np.hypot(sy[k], sy[k + 1]) / (x[k + 1] - x[k])
    print(f"local slope L = {L[k]:.0f} ... {L[k + 1]:.0f}: {local:.3f} +- {local_err:.3f}")

fig, ax = plt.subplots(figsize=(6, 4.5))
ax.errorbar(L, tau, yerr=err, fmt="o", capsize=3, label="Metropolis (checkerboard), signed m")
fine = np.linspace(L.min(), L.max(), 50)
ax.plot(fine, np.exp(a) * fine**z, "-", lw=1, label=f"fit: z = {z:.3f} $\\pm$ {z_err:.3f}")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("L")
ax.set_ylabel("tau_int(m) [sweeps]")
ax.set_title("T = T_c (reference: z = 2.17 for local dynamics)")
ax.legend()
save(fig, run, "tau")
