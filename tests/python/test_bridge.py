"""spindiff.bridge: the bridge analyses from Python reproduce the kinds' tasks, and a Python callable equal to
the built-in score gives the same measurements."""
import numpy as np
import pytest

import spindiff
import spindiff.bridge as sb
import spindiff.diffusion as sd


def test_memorization_reproduces_the_kind_task(tmp_path):
    run = spindiff.run({"kind": "bridge.memorization", "seed": 5, "score": "empirical", "P": 12, "d": 3,
                        "samples": 200, "T": 2.0, "dt": 0.02}, output=tmp_path / "m.h5")
    task = run.tasks[0]
    training = task["training"]
    m = sb.memorization(sd.EmpiricalScore(training), training, samples=200, T=2.0, dt=0.02,
                        task=(5, task.params["point"], 0))
    np.testing.assert_array_equal(m["samples"], task["samples"])
    assert m["copy_fraction"] == run.summary["copy_fraction"][0]
    # the empirical score is a memory: nearly every sample copies a training point
    assert m["copy_fraction"] > 0.9


def test_a_callable_equal_to_the_built_in_score_gives_the_same_samples():
    rng = np.random.default_rng(2)
    training = rng.normal(size=(10, 2))
    built_in = sd.EmpiricalScore(training)
    a = sb.memorization(built_in, training, samples=100, T=2.0, seed=4)
    b = sb.memorization(lambda x, sigma: built_in(x, sigma), training, samples=100, T=2.0, seed=4)
    np.testing.assert_allclose(b["samples"], a["samples"], rtol=1e-9, atol=1e-9)
    assert a["copy_fraction"] == b["copy_fraction"]


def test_clone_agreement_with_a_callable_score():
    d = 4
    mixture = sd.GaussianMixtureScore([0.5, 0.5], np.array([[-1.0] * d, [1.0] * d]), [1.0, 1.0])
    kw = dict(clone_times=[0.01, 0.5, 1.5], direction=np.ones(d), trajectories=400, T=4.0, seed=8)
    a = sb.clone_agreement(mixture, **kw)
    b = sb.clone_agreement(lambda x, sigma: mixture(x, sigma), dim=d, **kw)
    np.testing.assert_allclose(a["t_b"], b["t_b"])
    # Rounding can move at most a pair lying on the class boundary.
    assert np.all(np.abs(a["phi"] - b["phi"]) <= 1 / 400)
    # Clone times come back decreasing. Clones made near the end land together (only pairs within the last
    # steps' noise, sqrt(2 * 0.01) = 0.14, of the class boundary can part: about 1.5 % of them here); agreement
    # falls as the clone time moves back towards the noise.
    assert list(a["t_b"]) == sorted(a["t_b"], reverse=True)
    assert a["phi"][-1] > 0.97 and a["phi"][0] < a["phi"][1] < a["phi"][-1]


def test_bridge_errors():
    training = np.zeros((5, 2))
    score = sd.EmpiricalScore(np.random.default_rng(0).normal(size=(5, 2)))
    with pytest.raises(ValueError, match="training must have shape"):
        sb.memorization(score, np.zeros((5, 3)))
    with pytest.raises(ValueError, match="ratio:"):
        sb.memorization(score, training, ratio=2.0)
    with pytest.raises(ValueError, match="clone_times:"):
        sb.clone_agreement(score, clone_times=[9.0], direction=[1.0, 0.0], T=3.0)
    with pytest.raises(ValueError, match="direction:"):
        sb.clone_agreement(score, clone_times=[1.0], direction=[1.0, 0.0, 0.0], dim=2)


def collapse_training(seed, point, d, P, sigma=1.0):
    """The training set of a bridge.collapse task: P draws of the two-class mixture +-(1, ..., 1)."""
    mixture = sd.GaussianMixtureScore([0.5, 0.5], np.array([[1.0] * d, [-1.0] * d]), [sigma, sigma])
    return mixture.sample_data(P, stream=(seed, point, 0, "patterns"))


def test_collapse_reproduces_the_kind_task(tmp_path):
    run = spindiff.run({"kind": "bridge.collapse", "seed": 3, "repeats": 1, "d": 4, "P": 20, "trajectories": 60,
                        "T": 2.0, "dt": 0.02}, output=tmp_path / "c.h5")
    task = run.tasks[0]
    point = task.params["point"]
    training = collapse_training(3, point, d=4, P=20)
    c = sb.collapse(sd.EmpiricalScore(training), training, trajectories=60, T=2.0, dt=0.02, task=(3, point, 0))
    for name in ("times", "nn_fraction", "entropy", "entropy_err", "entropy_per_dim", "max_weight"):
        np.testing.assert_array_equal(c[name], task[name], err_msg=name)
    assert c["t_collapse"] == run.summary["t_collapse"][0]
    assert c["t_collapse_nn"] == run.summary["t_collapse_nn"][0]
    # at t_min the trajectories sit on training points: the posterior holds one point (entropy ln 1 = 0)
    assert c["entropy"][-1] < 0.01 and c["nn_fraction"][-1] == 1.0


def test_a_callable_equal_to_the_built_in_score_gives_the_same_collapse():
    training = collapse_training(4, 0, d=3, P=30)
    built_in = sd.EmpiricalScore(training)
    kw = dict(trajectories=80, T=2.0, dt=0.02, seed=5)
    a = sb.collapse(built_in, training, **kw)
    b = sb.collapse(lambda x, sigma: built_in(x, sigma), training, **kw)
    np.testing.assert_array_equal(b["times"], a["times"])
    for name in ("entropy", "entropy_err", "max_weight"):
        np.testing.assert_allclose(b[name], a[name], rtol=1e-9, atol=1e-9, err_msg=name)
    np.testing.assert_array_equal(b["nn_fraction"], a["nn_fraction"])
    assert b["t_collapse"] == pytest.approx(a["t_collapse"], abs=1e-9)
    assert b["t_collapse_nn"] == pytest.approx(a["t_collapse_nn"], abs=1e-9)


def test_a_bad_callable_score_is_refused_clearly():
    training = collapse_training(4, 0, d=2, P=10)
    kw = dict(trajectories=8, T=1.0, dt=0.1)
    with pytest.raises(ValueError, match=r"expected shape \(8, 2\)"):
        sb.collapse(lambda x, sigma: x[:, :1], training, **kw)
    with pytest.raises(ValueError, match=r"expected shape \(8, 2\)"):
        sb.collapse(lambda x, sigma: x.T, training, **kw)
    with pytest.raises(TypeError, match="numeric array"):
        sb.collapse(lambda x, sigma: np.full(x.shape, "a"), training, **kw)
    with pytest.raises(TypeError, match="must return an array of shape"):
        sb.collapse(lambda x, sigma: None, training, **kw)
    with pytest.raises(ValueError, match="non-finite"):
        sb.collapse(lambda x, sigma: np.full(x.shape, np.nan), training, **kw)
    with pytest.raises(ZeroDivisionError):  # the callable's own error comes back unchanged
        sb.collapse(lambda x, sigma: 1 / 0, training, **kw)
    with pytest.raises(TypeError, match="float64"):
        sb.collapse(sd.EmpiricalScore(training), training.astype(np.float32), **kw)
    with pytest.raises(ValueError, match="training must have shape"):
        sb.collapse(sd.EmpiricalScore(training), np.zeros((10, 3)), **kw)
    with pytest.raises(ValueError, match="measure_every:"):
        sb.collapse(sd.EmpiricalScore(training), training, measure_every=0, **kw)


def test_the_symmetry_breaking_of_the_landscape_from_a_score(tmp_path):
    # Two training points at +-1: the centre stops being a minimum of -log p_t at t* = ln(2) / 2 (Delta_t = a_t^2).
    run = spindiff.run({"kind": "bridge.landscape", "seed": 1, "dim": 1, "points": "pair", "grid": 41,
                        "scan_points": 20, "times": [1.0]}, output=tmp_path / "l.h5")
    training = run.tasks[0]["training"]
    built_in = sd.EmpiricalScore(training)
    t_star = 0.5 * np.log(2.0)
    kw = dict(centre=[0.0], direction=[1.0], t_lo=0.01, t_hi=2.0, tolerance=1e-10)
    a = sb.centre_instability_time(built_in, **kw)
    b = sb.centre_instability_time(lambda x, sigma: built_in(x, sigma), dim=1, **kw)
    # Central differences with h = 1e-4 (score) and 1e-3 (the kind's log-density) are off by O(h^2) in the
    # curvature, whose slope in t is of order 1 at t*: both within 1e-6 of the exact time.
    assert a == pytest.approx(t_star, abs=1e-6)
    assert run.summary["t_symmetry_breaking"][0] == pytest.approx(t_star, abs=1e-6)
    # the callable differs from the built-in score by rounding only (1e-16 / h in the curvature)
    assert b == pytest.approx(a, abs=1e-9)
    # the curvature itself: (Delta - a^2) / Delta^2 at the centre
    t = 0.2
    delta, a2 = 1 - np.exp(-2 * t), np.exp(-2 * t)
    assert sb.energy_curvature(built_in, [0.0], [1.0], t) == pytest.approx((delta - a2) / delta**2, rel=1e-6)
    # no sign change on the interval: NaN
    assert np.isnan(sb.centre_instability_time(built_in, [0.0], [1.0], t_lo=0.5, t_hi=2.0))


def test_landscape_from_a_score_refuses_bad_input():
    built_in = sd.EmpiricalScore(np.array([[-1.0, 0.0], [1.0, 0.0]]))
    with pytest.raises(ValueError, match="direction: has 1 entries"):
        sb.centre_instability_time(built_in, [0.0, 0.0], [1.0])
    with pytest.raises(ValueError, match="direction: must not be zero"):
        sb.centre_instability_time(built_in, [0.0, 0.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="t_hi: must exceed t_lo"):
        sb.centre_instability_time(built_in, [0.0, 0.0], [1.0, 0.0], t_lo=1.0, t_hi=0.5)
    with pytest.raises(ValueError, match=r"expected shape \(2, 2\)"):
        sb.centre_instability_time(lambda x, sigma: x[:1], [0.0, 0.0], [1.0, 0.0])
