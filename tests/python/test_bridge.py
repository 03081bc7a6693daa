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
