"""The bridge between memory and generation, measured on any score: a spindiff.diffusion Score or your own
callable score(x[n, d], sigma) -> [n, d] (e.g. a PyTorch network).

    import numpy as np, spindiff
    training = spindiff.diffusion.GaussianMixtureScore([0.5, 0.5], [[-1.0] * 4, [1.0] * 4], [1, 1]).sample_data(16, seed=1)
    m = spindiff.bridge.memorization(spindiff.diffusion.EmpiricalScore(training), training, samples=500, seed=2)
    m["copy_fraction"]                     # the empirical score copies its training points: close to 1
    spindiff.bridge.clone_agreement(my_score, clone_times=[0.5, 1, 2], direction=np.ones(4), dim=4, seed=3)

Both run the reverse SDE of the Ornstein-Uhlenbeck process from N(0, I) at T down to t_min, as the
bridge.memorization and bridge.speciation kinds do. Noise: (seed, point 0, repeat 0, init / dynamics), or
task=(seed, point, repeat) for a kind's task (point: its `point` attribute), which the kinds' own score then
reproduces exactly.
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


def clone_agreement(score, clone_times, direction, trajectories=10000, T=5.0, t_min=1e-3, dt=0.01, seed=0,
                    task=None, dim=None):
    """The cloning measurement of speciation (Biroli et al. 2024): trajectories are copied at each clone time t_b
    and both copies finish with independent noise; phi(t_b) is the fraction of pairs ending on the same side of
    `direction`. Returns a dict: t_b (the grid times used), phi and phi_err (binomial)."""
    import numpy as np
    direction = np.asarray(direction, dtype=float)
    return _b.clone_agreement(_score(score, dim if dim is not None else direction.shape[0]), list(clone_times),
                              direction, trajectories, T, t_min, dt, seed, task)


backward_times = _b.backward_times

__all__ = ["backward_times", "clone_agreement", "memorization"]
