"""Langevin dynamics: Euler-Maruyama, MALA and BAOAB over a potential named as in the langevin kinds,
a diffusion score (force T s), or your own gradient as a Python callable.

    import numpy as np, spindiff.langevin as sl
    well = sl.Potential("double_well", a=0.25, b=0.5)
    x0 = np.full((1000, 1), -1.0)
    r = sl.integrate(well, x0, T=0.25, dt=1e-3, steps=10_000, method="euler", seed=1)
    r["x"]                                                  # (1000, 1) final positions
    mine = sl.CallablePotential(lambda x: x * (x**2 - 0.5), dim=1)   # grad U of the same well, from Python
    sl.integrate(mine, x0, T=0.25, dt=1e-3, steps=10_000, seed=1)   # the same samples, to rounding

The noise comes from the stream (seed, point 0, repeat 0, dynamics): equal seeds give equal paths.
The positions are lent to the callables read-only (copy them to keep them).
"""
import numpy as np

from ._core import langevin as _l
from ._core.langevin import Potential

methods = ("euler", "mala", "baoab")


def CallablePotential(gradient, dim, energy=None):
    """A potential from Python: gradient(x[n, d]) -> [n, d] (grad U), and optionally energy(x[n, d]) -> [n]
    (U, needed by MALA)."""
    if not callable(gradient):
        raise TypeError(f"gradient must be callable; got {type(gradient).__name__}")
    if energy is not None and not callable(energy):
        raise TypeError(f"energy must be callable or None; got {type(energy).__name__}")
    return _l.callable_potential(gradient, int(dim), energy)


def ScorePotential(score, sigma, T=1.0):
    """U = -T log p_sigma for a spindiff.diffusion Score (or a callable f(x, sigma) with dim=...): the force
    is T s(x, sigma), the stationary law p_sigma at any T."""
    from . import diffusion
    if not isinstance(score, diffusion.Score):
        raise TypeError("score must be a spindiff.diffusion Score (wrap a callable with diffusion.CallableScore)")
    return _l.score_potential(score, float(sigma), float(T))


def integrate(potential, x, T=1.0, dt=1e-3, steps=1000, method="euler", gamma=1.0, mass=1.0, record_every=0,
              seed=0, stream=None, box=None):
    """Runs `steps` steps of `method` (euler | mala | baoab) from x (float64, shape (n, d); not modified).
    With box=(lo, hi) (numbers, or one per coordinate) x is the number of particles instead, started uniformly in
    the box from the stream's first draws, as a langevin.boltzmann task starts a block of particles.
    Returns a dict: x (n, d) final positions, v (baoab: velocities), acceptance (mala), and with
    record_every > 0, trajectory (frames, n, d) including the start. Overdamped dynamics
    dx = -grad U dt / gamma + sqrt(2 T dt / gamma) xi; BAOAB integrates the underdamped equation."""
    if not isinstance(potential, Potential):
        raise TypeError("potential must be a spindiff.langevin Potential (Potential(name), CallablePotential, "
                        f"ScorePotential); got {type(potential).__name__}")
    o = _l.Integration()
    o.method, o.T, o.dt, o.steps, o.gamma, o.mass, o.record_every = method, T, dt, steps, gamma, mass, record_every
    if box is not None:
        if len(box) != 2:
            raise ValueError(f"box: must be (lo, hi); got {box!r}")
        o.box_lo, o.box_hi = (np.atleast_1d(np.asarray(b, dtype=np.float64)).tolist() for b in box)
    return _l.integrate(potential, x, o, seed, stream)


__all__ = ["CallablePotential", "Potential", "ScorePotential", "integrate", "methods"]
