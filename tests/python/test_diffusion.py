"""spindiff.diffusion against the C++ path of the CLI, and a Python score against the built-in one."""
import numpy as np
import pytest

import spindiff
import spindiff.diffusion as sd

WEIGHTS, MEANS, STDS = [0.2, 0.8], np.array([[-5.0, -5.0], [5.0, 5.0]]), [1.0, 1.0]


def mixture():
    return sd.GaussianMixtureScore(WEIGHTS, MEANS, STDS)


def numpy_mixture_score(x, sigma):
    """The exact score of the smoothed mixture, written independently in NumPy (unit scale)."""
    var = np.asarray(STDS) ** 2 + sigma ** 2                       # (K,)
    diff = x[:, None, :] - MEANS[None, :, :]                      # (n, K, d)
    logp = np.log(WEIGHTS) - 0.5 * (diff ** 2).sum(-1) / var - x.shape[1] / 2 * np.log(var)
    r = np.exp(logp - logp.max(1, keepdims=True))
    r /= r.sum(1, keepdims=True)
    return -(r[:, :, None] * diff / var[None, :, None]).sum(1)


@pytest.mark.parametrize("sampler", ["euler_maruyama", "ddpm", "ode_heun"])
def test_sample_equals_the_cli_samples_for_the_same_seed(cli, tmp_path, sampler):
    config = tmp_path / "sample.toml"
    config.write_text(f'kind = "diffusion.sample"\nseed = 11\nsampler = "{sampler}"\nsteps = 40\n'
                      'n_samples = 64\nn_eval = 50\ntrajectories = 0\n')
    out = tmp_path / "sample.h5"
    assert cli("run", str(config), "-o", str(out), "-q").returncode == 0
    task = spindiff.load(out).tasks[0]
    expected = task["samples"]
    point = int(task.attrs["point"]) % 2**64  # the task's parameter point names its streams
    process = {"ddpm": "ddpm", "ode_heun": "edm"}.get(sampler, "vp")
    x = sd.Process(process).sample_prior(64, 2, stream=(11, point, 0, "init"))
    got, nfe = sd.sample(mixture(), x, sampler=sampler, steps=40, stream=(11, point, 0, "dynamics"))
    np.testing.assert_array_equal(got, expected)
    assert nfe == spindiff.load(out).summary["nfe"][0]


def test_the_numpy_score_is_the_built_in_score():
    x = np.random.default_rng(0).normal(scale=4, size=(200, 2))
    for sigma in (0.01, 1.0, 10.0):
        np.testing.assert_allclose(numpy_mixture_score(x, sigma), mixture()(x, sigma), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("sampler", sd.samplers)
def test_a_python_callable_drives_every_sampler_like_the_built_in_score(sampler):
    x = sd.Process("vp").sample_prior(256, 2, seed=5)
    options = dict(steps=30, steps_per_level=5, levels=4, langevin_sigma=0.5, step_size=0.05)
    built_in, nfe_built_in = sd.sample(mixture(), x, sampler=sampler, seed=9, **options)
    python, nfe_python = sd.sample(numpy_mixture_score, x, sampler=sampler, seed=9, **options)
    assert nfe_python == nfe_built_in
    # Equal up to rounding: the two scores differ in the last bits only (checked above).
    np.testing.assert_allclose(python, built_in, rtol=0, atol=1e-9)


def test_same_seed_same_samples_and_input_untouched():
    x = sd.Process("vp").sample_prior(128, 2, seed=1)
    before = x.copy()
    a, _ = sd.sample(mixture(), x, seed=3, steps=20)
    b, _ = sd.sample(mixture(), x, seed=3, steps=20)
    c, _ = sd.sample(mixture(), x, seed=4, steps=20)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    np.testing.assert_array_equal(x, before)


def test_empirical_score_samples_copy_training_points():
    training = mixture().sample_data(8, seed=2)
    x = sd.Process("vp").sample_prior(64, 2, seed=1)
    samples, _ = sd.sample(sd.EmpiricalScore(training), x, steps=200, seed=2)
    nearest = sd.nearest_training_distances(samples, training)
    assert nearest.shape == (64, 2)
    # Memorisation: every sample sits on a training point (VP ends at sigma(t_start) ~ 0.01).
    assert np.all(nearest[:, 0] < 0.1) and np.all(nearest[:, 1] > 3 * nearest[:, 0])


def test_metrics_tell_matching_from_shifted_samples():
    data, more = mixture().sample_data(500, seed=1), mixture().sample_data(500, seed=2)
    assert sd.mmd2(data, more) < sd.mmd2(data, more + 3.0)
    # A sample against itself shifted by s = (3, 3): W2 along u is |u.s|, so sliced W2 = |s| sqrt(mean cos^2)
    # = 3 on average over 200 directions; cos^2 has variance 1/8, so the standard error is ~0.075.
    assert sd.sliced_w2(data, data + 3.0, projections=200, seed=1) == pytest.approx(3.0, abs=4 * 0.075)
    assert sd.sliced_w2(data, data, seed=1) == 0.0


def test_bad_inputs_are_refused_clearly():
    x = np.zeros((4, 2))
    with pytest.raises(TypeError, match="float64"):
        sd.sample(mixture(), x.astype(np.float32))
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        sd.sample(mixture(), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="sampler: unknown 'heun'"):
        sd.sample(mixture(), x, sampler="heun")
    with pytest.raises(ValueError, match="'stepsize'"):
        sd.sample(mixture(), x, stepsize=0.1)
    with pytest.raises(ValueError, match="steps"):
        sd.sample(mixture(), x, steps=0)
    with pytest.raises(ValueError, match=r"expected shape \(4, 2\)"):
        sd.sample(lambda x, sigma: x[:2], x, steps=2)
    with pytest.raises(ZeroDivisionError):  # the callable's own error comes back unchanged
        sd.sample(lambda x, sigma: 1 / 0, x, steps=2)
    with pytest.raises(ValueError, match="one entry per component"):
        sd.GaussianMixtureScore([1.0], MEANS, STDS)
    with pytest.raises(ValueError, match="cannot load MLP weights"):
        sd.LearnedScore.load("/nonexistent.h5")


def test_conditional_scores_reduce_to_the_class_mixture():
    means = np.array([[-3.0, 0.0], [3.0, 1.0], [0.0, 4.0]])
    cond = sd.ConditionalMixtureScore([0.2, 0.5, 0.3], means, [1.0, 0.5, 0.8], labels=[0, 1, 1], names=["left", "right"])
    assert cond.classes == ["left", "right"] and cond.dim == 2
    only_left = sd.GaussianMixtureScore([1.0], means[:1], [1.0])
    x = np.random.default_rng(3).normal(size=(50, 2)) * 3
    for sigma in (0.1, 1.0, 5.0):
        np.testing.assert_allclose(cond.conditioned("left")(x, sigma), only_left(x, sigma), rtol=1e-12, atol=1e-12)
        # guidance weight 0 and a one-term composition are the conditional score itself
        np.testing.assert_allclose(cond.guided("right", 0.0)(x, sigma), cond.conditioned("right")(x, sigma),
                                   rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(cond.composed(["right"])(x, sigma), cond.conditioned("right")(x, sigma),
                                   rtol=1e-12, atol=1e-12)
        # classifier-free guidance: (1 + w) s(x | c) - w s(x)
        w = 2.0
        expected = (1 + w) * cond.conditioned("right")(x, sigma) - w * cond.conditioned("")(x, sigma)
        np.testing.assert_allclose(cond.guided("right", w)(x, sigma), expected, rtol=1e-10, atol=1e-10)
    # every sampler runs a conditioned score: samples land in the class's modes
    x0 = sd.Process("vp").sample_prior(400, 2, seed=1)
    samples, _ = sd.sample(cond.conditioned("right"), x0, sampler="euler_maruyama", steps=200, seed=2)
    assert np.all(sd.mode_fractions(samples, means)[:1] < 0.01)


def test_conditional_empirical_score_is_the_class_memory():
    training = np.random.default_rng(4).normal(size=(12, 3))
    labels = np.array([0, 1] * 6)
    cond = sd.ConditionalEmpiricalScore(training, labels)
    x = np.random.default_rng(5).normal(size=(20, 3))
    np.testing.assert_allclose(cond.conditioned("1")(x, 0.7), sd.EmpiricalScore(training[labels == 1])(x, 0.7),
                               rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="condition:"):
        cond.conditioned("7")
    with pytest.raises(ValueError, match="labels must be integers of shape"):
        sd.ConditionalEmpiricalScore(training, labels[:5])


def test_a_loaded_learned_score_samples_as_the_cli_does_with_its_weights(cli, tmp_path):
    # A network trained by the CLI, loaded from its result file, drives the sampler along the same path as a
    # diffusion.sample task with score = "learned" on that file (the same streams: the task's point).
    train = tmp_path / "train.toml"
    train.write_text('kind = "diffusion.train"\nseed = 3\nn_train = 500\nwidth = 16\ndepth = 1\nbatch = 64\n'
                     'steps = 30\nn_samples = 50\nsample_steps = 5\n')
    weights = tmp_path / "train.h5"
    assert cli("run", str(train), "-o", str(weights), "-q").returncode == 0
    config = tmp_path / "sample.toml"
    config.write_text(f'kind = "diffusion.sample"\nseed = 11\nscore = "learned"\nweights = "{weights}"\n'
                      'sampler = "euler_maruyama"\nsteps = 20\nn_samples = 64\nn_eval = 50\ntrajectories = 0\n')
    out = tmp_path / "sample.h5"
    assert cli("run", str(config), "-o", str(out), "-q").returncode == 0
    task = spindiff.load(out).tasks[0]
    point = int(task.attrs["point"]) % 2**64
    learned = sd.LearnedScore.load(str(weights))
    assert learned.dim == 2
    x = sd.Process("vp").sample_prior(64, 2, stream=(11, point, 0, "init"))
    got, _ = sd.sample(learned, x, sampler="euler_maruyama", steps=20, stream=(11, point, 0, "dynamics"))
    np.testing.assert_array_equal(got, task["samples"])


def test_processes_and_schedules_follow_their_closed_forms():
    # The OU process x_t = e^-t x_0 + sqrt(1 - e^-2t) z; VP keeps a^2 + sigma^2 = 1; VE keeps a = 1; the EDM grid is
    # Karras et al.'s (sigma_max^(1/rho) + i/(n-1) (sigma_min^(1/rho) - sigma_max^(1/rho)))^rho; geometric and
    # linspace grids have constant ratios and steps between their ends; DDPM's betas are linear (Ho et al.).
    ou = sd.Process("ou")
    for t in (0.01, 0.5, 3.0):
        assert ou.scale(t) == pytest.approx(np.exp(-t), rel=1e-14)
        assert ou.sigma(t) == pytest.approx(np.sqrt(-np.expm1(-2 * t)), rel=1e-14)
        vp = sd.Process("vp")
        assert vp.scale(t) ** 2 + vp.sigma(t) ** 2 == pytest.approx(1.0, abs=1e-14)
        assert sd.Process("ve").scale(t) == 1.0
    n, lo, hi, rho = 6, 0.002, 80.0, 7.0
    i = np.arange(n)
    karras = (hi ** (1 / rho) + i / (n - 1) * (lo ** (1 / rho) - hi ** (1 / rho))) ** rho
    np.testing.assert_allclose(sd.edm_sigmas(n, lo, hi, rho), np.append(karras, 0.0), rtol=1e-13)
    g = np.array(sd.geometric(20.0, 0.01, 9))
    assert g[0] == pytest.approx(20.0) and g[-1] == pytest.approx(0.01)
    np.testing.assert_allclose(g[1:] / g[:-1], (0.01 / 20.0) ** (1 / 8), rtol=1e-13)
    np.testing.assert_allclose(np.diff(sd.linspace(1.0, 0.0, 5)), -0.25, rtol=1e-14)
    np.testing.assert_allclose(sd.ddpm_betas(5, 1e-4, 0.02), np.linspace(1e-4, 0.02, 5), rtol=1e-14)
    times = ou.times(10)
    assert len(times) == 11 and times[0] == ou.t_end and times[-1] == ou.t_start and np.all(np.diff(times) < 0)
