"""Long calls release the GIL, and arrays cross the boundary without copies where the layout allows."""
import threading
import time

import numpy as np
import pytest

import spindiff
import spindiff.bridge as sb
import spindiff.diffusion as sd
import spindiff.hopfield as hop


def mixture():
    return sd.GaussianMixtureScore([0.5, 0.5], np.array([[-2.0, 0.0], [2.0, 0.0]]), [1.0, 1.0])


def long_calls():
    x = sd.Process("vp").sample_prior(4000, 2, seed=1)
    training = mixture().sample_data(200, seed=2)
    return {
        "sample": lambda: sd.sample(mixture(), x, steps=200, seed=3),
        "collapse": lambda: sb.collapse(sd.EmpiricalScore(training), training, trajectories=600, T=2.0, seed=4),
        "run": lambda: spindiff.run({"kind": "hopfield.capacity", "seed": 1, "repeats": 200, "N": 1000, "alpha": 0.1}),
    }


@pytest.mark.parametrize("name", ["sample", "collapse", "run"])
def test_a_long_call_lets_other_python_threads_run(name):
    # While the call runs in a worker thread, this thread keeps waking from 1 ms sleeps. Had the call kept the
    # GIL, no wake-up could complete inside it: the middle half of the call would hold none.
    call = long_calls()[name]
    span = {}

    def worker():
        span["start"] = time.perf_counter()
        call()
        span["end"] = time.perf_counter()

    wakes = []
    thread = threading.Thread(target=worker)
    thread.start()
    while thread.is_alive():
        time.sleep(0.001)
        wakes.append(time.perf_counter())
    thread.join()
    duration = span["end"] - span["start"]
    assert duration > 0.1, f"the {name} call is too short to tell ({duration:.3f} s)"
    lo, hi = span["start"] + duration / 4, span["end"] - duration / 4
    assert any(lo <= t <= hi for t in wakes), f"no other thread ran during the {duration:.2f} s call"


def test_results_hand_over_the_library_buffer():
    x = sd.Process("vp").sample_prior(64, 2, seed=1)
    samples, _ = sd.sample(mixture(), x, steps=5, seed=2)
    for a in (x, samples, sd.nearest_training_distances(samples, x)):
        # the array views memory the library allocated, kept alive by a capsule: no copy was made
        assert not a.flags.owndata and type(a.base).__name__ == "PyCapsule"
    net = hop.Network(hop.random_patterns(N=50, P=2, seed=1))
    state = net.recall(hop.random_patterns(N=50, P=1, seed=2)[0], seed=3)["state"]
    assert not state.flags.owndata


def test_a_callable_score_reads_the_sampler_points_in_place():
    seen = []

    def score(x, sigma):
        seen.append((x.flags.owndata, x.flags.writeable, x.shape))
        return -x / (1 + sigma**2)

    x = sd.Process("ve").sample_prior(32, 2, seed=1)
    sd.sample(score, x, process="ve", steps=3, seed=2)
    # lent read-only, not copied for the call
    assert seen and all(not own and not writeable and shape == (32, 2) for own, writeable, shape in seen)
