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


def long_call(name, scale):
    """A call whose work grows in proportion to scale."""
    if name == "sample":
        x = sd.Process("vp").sample_prior(1000 * scale, 2, seed=1)
        return lambda: sd.sample(mixture(), x, steps=200, seed=3)
    if name == "collapse":
        training = mixture().sample_data(200, seed=2)
        return lambda: sb.collapse(sd.EmpiricalScore(training), training, trajectories=100 * scale, T=2.0, seed=4)
    return lambda: spindiff.run({"kind": "hopfield.capacity", "seed": 1, "repeats": 20 * scale, "N": 1000,
                                 "alpha": 0.1})


def run_beside_this_thread(call):
    """Runs call() in a worker thread while this thread wakes from 1 ms sleeps: (start, end, wake-up times)."""
    span, wakes = {}, []

    def worker():
        span["start"] = time.perf_counter()
        call()
        span["end"] = time.perf_counter()

    thread = threading.Thread(target=worker)
    thread.start()
    while thread.is_alive():
        time.sleep(0.001)
        wakes.append(time.perf_counter())
    thread.join()
    return span["start"], span["end"], wakes


@pytest.mark.parametrize("name", ["sample", "collapse", "run"])
def test_a_long_call_lets_other_python_threads_run(name):
    # Had the call kept the GIL, no wake-up of this thread could complete inside it: the middle half of the call
    # would hold none. The work is doubled until a call lasts at least 0.2 s, long beside the 1 ms sleeps.
    scale = 1
    while True:
        start, end, wakes = run_beside_this_thread(long_call(name, scale))
        duration = end - start
        if duration >= 0.2 or scale >= 256:
            break
        scale *= 2
    assert duration >= 0.2, f"the {name} call stays too short to tell ({duration:.3f} s)"
    lo, hi = start + duration / 4, end - duration / 4
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
