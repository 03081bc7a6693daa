"""The bridge between memory and generation, measured on any score: a spindiff.diffusion Score or your own
callable score(x[n, d], sigma) -> [n, d] (e.g. a PyTorch network).

    import numpy as np, spindiff
    training = spindiff.diffusion.GaussianMixtureScore([0.5, 0.5], [[-1.0] * 4, [1.0] * 4], [1, 1]).sample_data(16, seed=1)
    m = spindiff.bridge.memorization(spindiff.diffusion.EmpiricalScore(training), training, samples=500, seed=2)
    m["copy_fraction"]                     # the empirical score copies its training points: close to 1
    spindiff.bridge.collapse(my_score, training, trajectories=200, seed=2)["t_collapse"]
    spindiff.bridge.clone_agreement(my_score, clone_times=[0.5, 1, 2], direction=np.ones(4), dim=4, seed=3)

    spindiff.bridge.centre_instability_time(my_score, centre=np.zeros(4), direction=np.ones(4))   # t*

The first three run the reverse SDE of the Ornstein-Uhlenbeck process from N(0, I) at T down to t_min, as
the bridge.memorization, bridge.collapse and bridge.speciation kinds do. Noise: (seed, point 0, repeat 0,
init / dynamics), or task=(seed, point, repeat) for a kind's task (point: its `point` attribute), which the
kinds' own score then reproduces exactly. energy_curvature and centre_instability_time read the landscape
-log p_t of the bridge.landscape kind from the score alone.
"""
from ._core import bridge as _b
from .diffusion import CallableScore, Score


def _score(score, dim):
    if isinstance(score, Score):
        return score
    if dim is None:
        raise ValueError("dim: give the dimension d of a callable score")
    return CallableScore(score, dim)


def memorization(score, training, samples=1000, ratio=1 / 3, T=3.0, t_min=1e-3, dt=0.01, seed=0, task=None,
                 dim=None):
    """The memorisation detector: generates `samples` points with the score and measures, for each, the distance
    to its nearest and second-nearest training points. Returns a dict: samples (n, d), nearest (n, 2) and
    copy_fraction, the fraction of samples with nearest < ratio * second (a copy of a training point)."""
    import numpy as np
    training = np.asarray(training)
    return _b.memorization(_score(score, dim if dim is not None else training.shape[-1]), training, samples, ratio,
                           T, t_min, dt, seed, task)


def collapse(score, training, trajectories=500, T=4.0, t_min=1e-3, dt=0.01, measure_every=2,
             entropy_threshold=0.6931471805599453, seed=0, task=None, dim=None):
    """The collapse measurement (Biroli et al. 2024): `trajectories` backward trajectories driven by the score,
    and every `measure_every` steps the posterior of the noised training set at each trajectory's position.
    Returns a dict of curves over `times` (decreasing): entropy (mean posterior entropy, nats), entropy_err,
    entropy_per_dim, max_weight (mean largest posterior weight) and nn_fraction (fraction whose most likely
    training point is the one nearest to where they end); and the crossing times t_collapse (entropy down to
    entropy_threshold, ln 2 by default) and t_collapse_nn (nn_fraction up to 1/2), NaN when not reached."""
    import numpy as np
    training = np.asarray(training)
    return _b.collapse(_score(score, dim if dim is not None else training.shape[-1]), training, trajectories, T,
                       t_min, dt, measure_every, entropy_threshold, seed, task)


def clone_agreement(score, clone_times, direction, trajectories=10000, T=5.0, t_min=1e-3, dt=0.01, seed=0,
                    task=None, dim=None):
    """The cloning measurement of speciation (Biroli et al. 2024): trajectories are copied at each clone time t_b
    and both copies finish with independent noise; phi(t_b) is the fraction of pairs ending on the same side of
    `direction`. Returns a dict: t_b (the grid times used), phi and phi_err (binomial)."""
    import numpy as np
    direction = np.asarray(direction, dtype=float)
    return _b.clone_agreement(_score(score, dim if dim is not None else direction.shape[0]), list(clone_times),
                              direction, trajectories, T, t_min, dt, seed, task)


def energy_curvature(score, x, direction, t, h=1e-4, dim=None):
    """The curvature of the landscape -log p_t along `direction` (normalised) at the point x and OU time t,
    from the score alone: -(u.s(x + h u) - u.s(x - h u)) / 2h."""
    import numpy as np
    x = np.asarray(x, dtype=float)
    return _b.energy_curvature(_score(score, dim if dim is not None else x.shape[0]), x,
                               np.asarray(direction, dtype=float), t, h)


def centre_instability_time(score, centre, direction, t_lo=0.01, t_hi=2.0, tolerance=1e-9, h=1e-4, dim=None):
    """The symmetry breaking of the bridge.landscape kind, from the score alone: the OU time in [t_lo, t_hi]
    (bisection to `tolerance`) where `centre` stops being a minimum of -log p_t along `direction`; NaN when the
    curvature does not change sign there. For training points at +-1 in 1-D it is t* = (1/2) ln 2."""
    import numpy as np
    centre = np.asarray(centre, dtype=float)
    return _b.centre_instability_time(_score(score, dim if dim is not None else centre.shape[0]), centre,
                                      np.asarray(direction, dtype=float), t_lo, t_hi, tolerance, h)


backward_times = _b.backward_times

__all__ = ["backward_times", "centre_instability_time", "clone_agreement", "collapse", "energy_curvature",
           "memorization"]
