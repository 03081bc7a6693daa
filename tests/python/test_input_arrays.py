"""Input arrays the library only reads (metric samples, training sets) are read where they lie when they are
C-contiguous float64; any other float64 layout is converted once and gives the same results."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import spindiff.bridge as sb
import spindiff.diffusion as sd

# Peak memory of each call, in a fresh process: the kernel's high-water mark of the resident set (VmHWM), reset
# before each call (clear_refs 5). The large array is 64 MB, so a copy of it raises the peak by at least that
# much, while everything else these calls allocate is about 1 MB.
PEAK_SCRIPT = r"""
import json
import numpy as np
import spindiff.bridge as sb, spindiff.diffusion as sd

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024

def growth(call, a):
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # the peak starts again from the present resident set
    before = status("VmRSS")
    call(a)
    return status("VmHWM") - before

n, d = 32_768, 256
big = np.empty((n, d))
np.random.default_rng(1).standard_normal(out=big)
small = big[:4].copy()
trivial = lambda x, sigma: -x / (1 + sigma**2)
calls = {
    "sliced_w2": lambda a: sd.sliced_w2(a, a, projections=1, seed=1),
    "nearest_training_distances": lambda a: sd.nearest_training_distances(small, a),
    "memorization": lambda a: sb.memorization(trivial, a, samples=4, T=0.1, t_min=0.05, dt=0.05, seed=1),
    "collapse": lambda a: sb.collapse(trivial, a, trajectories=4, T=0.1, t_min=0.05, dt=0.05, seed=1),
}
grown = {name: growth(call, big) for name, call in calls.items()}
grown["fortran"] = growth(calls["nearest_training_distances"], np.asfortranarray(big))
print(json.dumps({"bytes": big.nbytes, "growth": grown}))
"""


def test_a_c_contiguous_float64_input_is_not_copied():
    done = subprocess.run([sys.executable, "-c", PEAK_SCRIPT], capture_output=True, text=True, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    m = json.loads(done.stdout)
    growth, size = m["growth"], m["bytes"]
    # The Fortran-ordered array is converted once: the peak grows by a copy, so the measurement does see one.
    assert growth.pop("fortran") >= 0.9 * size, m
    for call, grown in growth.items():
        assert grown < 0.25 * size, (call, m)


def strided(a):
    """The same values in a layout that is not C-contiguous (every other row of a larger array)."""
    wide = np.zeros((2 * a.shape[0], a.shape[1]))
    wide[::2] = a
    return wide[::2]


def test_any_float64_layout_gives_the_same_results():
    mixture = sd.GaussianMixtureScore([0.5, 0.5], np.array([[-2.0, 1.0], [2.0, 0.0]]), [1.0, 0.5])
    x, y = mixture.sample_data(300, seed=1), mixture.sample_data(200, seed=2)
    training = mixture.sample_data(20, seed=3)
    for layout in (np.asfortranarray, strided):
        assert sd.mmd2(layout(x), layout(y)) == sd.mmd2(x, y)
        assert sd.sliced_w2(layout(x), y, seed=4) == sd.sliced_w2(x, y, seed=4)
        assert np.array_equal(sd.nearest_training_distances(x, layout(training)),
                              sd.nearest_training_distances(x, training))
        assert np.array_equal(sd.mode_fractions(layout(x), mixture.means), sd.mode_fractions(x, mixture.means))
        score = sd.EmpiricalScore(training)
        a = sb.memorization(score, layout(training), samples=50, seed=5)
        b = sb.memorization(score, training, samples=50, seed=5)
        assert np.array_equal(a["nearest"], b["nearest"])
        a = sb.collapse(score, layout(training), trajectories=50, T=1.0, seed=6)
        b = sb.collapse(score, training, trajectories=50, T=1.0, seed=6)
        assert np.array_equal(a["entropy"], b["entropy"]) and np.array_equal(a["nn_fraction"], b["nn_fraction"])


def test_other_dtypes_are_refused_naming_the_argument():
    x = np.zeros((4, 2))
    with pytest.raises(TypeError, match="training must be a float64 array; got a float32 array of shape"):
        sd.nearest_training_distances(x, x.astype(np.float32))
    with pytest.raises(TypeError, match="y must be a float64 array; got a int64 array"):
        sd.mmd2(x, x.astype(np.int64))
