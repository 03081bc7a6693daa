"""Diffusion models: score models, forward processes, schedules, samplers and metrics.

    import numpy as np, spindiff.diffusion as sd
    score = sd.GaussianMixtureScore(weights=[0.2, 0.8], means=np.array([[-5.0, 0], [5.0, 0]]), stds=[1.0, 1.0])
    x = sd.Process("vp").sample_prior(1024, 2, seed=1)
    samples, nfe = sd.sample(score, x, sampler="euler_maruyama", steps=500, seed=2)
    sd.mmd2(samples, score.sample_data(2000, seed=3))

Any Python callable score(x[n, d], sigma) -> ndarray[n, d] (the score of the data smoothed by
N(0, sigma^2 I), e.g. a PyTorch network) drives every sampler: pass it as `score` with `dim=d`, or
wrap it once with CallableScore(f, dim). x is lent to the callable read-only for the duration of the
call (copy it to keep it). Noise comes from the stream (seed, point 0, repeat 0, dynamics), so equal
seeds give equal samples.
"""
import numpy as np

from ._arguments import unknown_keyword
from ._core import diffusion as _d
from ._core.diffusion import (ConditionalScore, EmpiricalScore, GaussianMixtureScore, Process, Score, ddpm_betas,
                              edm_sigmas, geometric, linspace, mmd2, mode_fractions, nearest_training_distances,
                              sliced_w2)

samplers = tuple(_d.samplers)


def CallableScore(function, dim):
    """A Score from a Python callable f(x[n, d], sigma) -> [n, d]: the unit-scale (variance-exploding)
    score; the library rescales it for VP, DDPM and OU processes exactly."""
    if not callable(function):
        raise TypeError(f"score must be a spindiff Score or a callable f(x, sigma); got {type(function).__name__}")
    return _d.callable_score(function, int(dim))


def ConditionalMixtureScore(weights, means, stds, labels=None, names=None):
    """The exact conditional score of a labelled Gaussian mixture: component k belongs to class labels[k]
    (default: its own class), classes named by `names` (default "0", "1", ...). Its .conditioned(c),
    .guided(c, guidance, sigma_low, sigma_high), .classifier_guided(c, classifier_scale, ...) and
    .composed([c1, c2, ...]) are Scores every sampler runs."""
    return _d.conditional_mixture_score(list(weights), means, list(stds), labels, names)


def ConditionalEmpiricalScore(training, labels, names=None):
    """The exact score of labelled training points given a class (a modern-Hopfield memory per class):
    training (n, d) float64, labels (n,) class indices. Conditioning, guidance and composition as for
    ConditionalMixtureScore."""
    return _d.conditional_empirical_score(training, np.asarray(labels), names)


class LearnedScore:
    """The MLP score learned by the diffusion.train kind."""

    @staticmethod
    def load(path):
        """Reads the weights of a diffusion.train result file (or a weights file) into a Score."""
        import os
        return _d.load_learned_score(os.fspath(path))


_OPTIONS = ("process", "steps", "steps_per_level", "step_size", "langevin_sigma", "levels", "sigma_max",
            "sigma_min", "corrector_steps", "snr", "final_denoise")


def sample(score, x, sampler="euler_maruyama", steps=500, seed=0, stream=None, dim=None, **options):
    """Runs `sampler` from the starting points x (float64, shape (n, d); not modified) and returns
    (samples, nfe). score: a Score, or a callable f(x, sigma) (dim defaults to x.shape[1]).
    sampler: one of spindiff.diffusion.samplers. options (the diffusion.sample kind's names): process
    ("auto", "ve", "vp", "ddpm", "ou", "edm"), step_size, langevin_sigma, steps_per_level, levels,
    sigma_max, sigma_min, corrector_steps, snr, final_denoise (end with Tweedie's denoising step)."""
    if not isinstance(score, Score):
        score = CallableScore(score, dim if dim is not None else np.shape(x)[1] if np.ndim(x) == 2 else 0)
    o = _d.SamplerOptions()
    o.sampler = sampler
    o.steps = steps
    for key, value in options.items():
        if key not in _OPTIONS:
            raise unknown_keyword("spindiff.diffusion.sample", key,
                                  ("score", "x", "sampler", "steps", "seed", "stream", "dim") + _OPTIONS)
        setattr(o, key, value)
    return _d.sample(score, x, o, seed, stream)


__all__ = ["CallableScore", "ConditionalEmpiricalScore", "ConditionalMixtureScore", "ConditionalScore", "EmpiricalScore", "GaussianMixtureScore", "LearnedScore", "Process", "Score",
           "ddpm_betas", "edm_sigmas", "geometric", "linspace", "mmd2", "mode_fractions",
           "nearest_training_distances", "sample", "samplers", "sliced_w2"]
