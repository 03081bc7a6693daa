#!/usr/bin/python3
"""Calling overhead of the Python bindings, each against the C++ path in the same command:

1. one Euler-Maruyama step of spindiff.diffusion.sample on n = 1024 points at d = 2 and d = 256 with
   (a) the built-in GaussianMixtureScore, (b) the same mixture score as a NumPy callable,
   (c) a callable that does almost nothing (-x / (1 + sigma^2)): the pure cost of calling Python;
2. one Euler-Maruyama step of spindiff.langevin.integrate on n = 1024 particles in a d = 2 double well with the
   built-in potential against the same gradient as a NumPy callable;
3. one step of the collapse measurement of spindiff.bridge.collapse (n = 1024 trajectories, P = 100 training
   points, d = 2 and d = 256) with the built-in empirical score against the same score called through Python;
4. T = 0 recall of one cue (N = 2000, P = 100 Hebb patterns) from spindiff.hopfield.Network.recall,
   started at a stored pattern as hopfield.capacity does, against the CLI's marginal time per cue
   (hopfield.capacity with 100 starts minus 1 start, divided by 99); and from a cue with 30 % of its
   bits flipped;
5. inputs read in place: spindiff.diffusion.nearest_training_distances of 4 samples against a 64 MB training
   set (32768 x 256) given C-ordered (read where it lies) and in Fortran order (converted once per call), and
   the argument check every public call goes through (a small call with and without it).

    PYTHONPATH=build/python /usr/bin/python3 bench/bench_python_bindings.py [build/apps/spindiff]

The figures are the fastest of several repetitions, on one thread.
"""
import os
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

import spindiff  # noqa: E402
import spindiff.diffusion as sd  # noqa: E402
import spindiff.hopfield as hop  # noqa: E402
import spindiff.langevin as sl  # noqa: E402

N_POINTS, STEPS, REPEATS = 1024, 50, 5


def fastest(f, repeats=REPEATS):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - start)
    return best


def mixture_callable(weights, means, stds):
    logw, var_data = np.log(weights), np.asarray(stds) ** 2

    def score(x, sigma):
        var = var_data + sigma ** 2
        diff = x[:, None, :] - means[None, :, :]
        logp = logw - 0.5 * np.einsum("nkd,nkd->nk", diff, diff) / var - x.shape[1] / 2 * np.log(var)
        r = np.exp(logp - logp.max(1, keepdims=True))
        r /= r.sum(1, keepdims=True)
        return -np.einsum("nk,nkd->nd", r / var, diff)

    return score


def sampler_steps():
    print(f"sampler step (euler_maruyama, vp), n = {N_POINTS}, time per step:")
    for d in (2, 256):
        weights, stds = [0.2, 0.8], [1.0, 1.0]
        means = np.stack([-5.0 * np.ones(d), 5.0 * np.ones(d)])
        x = sd.Process("vp").sample_prior(N_POINTS, d, seed=1)
        scores = {"built-in mixture": sd.GaussianMixtureScore(weights, means, stds),
                  "NumPy mixture callable": mixture_callable(np.asarray(weights), means, stds),
                  "trivial callable": lambda x, sigma: -x / (1.0 + sigma * sigma)}
        reference = None
        for name, score in scores.items():
            t = fastest(lambda: sd.sample(score, x, sampler="euler_maruyama", steps=STEPS, seed=2)) / STEPS
            reference = reference or t
            print(f"  d = {d:3d}  {name:24s} {t * 1e6:9.1f} us   ({t / reference:5.2f} x built-in)")


def langevin_steps():
    a, b, steps = 0.25, 0.5, 200
    x = np.random.default_rng(1).normal(size=(N_POINTS, 2))
    potentials = {"built-in double_well": sl.Potential("double_well", dim=2, a=a, b=b),
                  "NumPy gradient callable": sl.CallablePotential(lambda x: x * ((4 * a) * x**2 - 2 * b), dim=2)}
    print(f"Langevin step (euler), n = {N_POINTS}, d = 2, time per step:")
    reference = None
    for name, potential in potentials.items():
        t = fastest(lambda: sl.integrate(potential, x, T=0.5, dt=1e-3, steps=steps, seed=2)) / steps
        reference = reference or t
        print(f"  {name:24s} {t * 1e6:9.1f} us   ({t / reference:5.2f} x built-in)")


def collapse():
    # The bridge's collapse measurement driven by the empirical score of P training points, built in against the
    # same score reached through a Python callable (each step: the block goes to Python and back into C++).
    import spindiff.bridge as sb
    P, n, T, dt = 100, N_POINTS, 2.0, 0.02
    steps = round(T / dt)
    print(f"collapse measurement (bridge.collapse), P = {P}, {n} trajectories, {steps} steps, time per step:")
    for d in (2, 256):
        training = np.random.default_rng(3).normal(size=(P, d))
        built_in = sd.EmpiricalScore(training)
        reference = None
        for name, score in [("built-in empirical", built_in),
                            ("the same via a callable", lambda x, sigma: built_in(x, sigma))]:
            t = fastest(lambda: sb.collapse(score, training, trajectories=n, T=T, dt=dt, seed=4), 3) / steps
            reference = reference or t
            print(f"  d = {d:3d}  {name:24s} {t * 1e6:9.1f} us   ({t / reference:5.2f} x built-in)")


def recall(cli):
    N, P, flipped = 2000, 100, 0.3
    xi = hop.random_patterns(N, P, seed=1)
    net = hop.Network(xi)
    rng = np.random.default_rng(2)
    cues = []
    for mu in range(20):
        cue = xi[mu].copy()
        cue[rng.choice(N, int(flipped * N), replace=False)] *= -1
        cues.append(cue)
    per_cue = fastest(lambda: [net.recall(xi[mu], seed=3) for mu in range(len(cues))]) / len(cues)
    noisy = fastest(lambda: [net.recall(c, seed=3) for c in cues]) / len(cues)
    print(f"recall of one cue, N = {N}, P = {P} (Hebb, pattern form):")
    print(f"  Python Network.recall, 30 % flipped cue  {noisy * 1e6:9.1f} us")
    print(f"  Python Network.recall, stored pattern    {per_cue * 1e6:9.1f} us")
    if not cli:
        print("  (no CLI given: pass build/apps/spindiff for the CLI's per-cue time)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "capacity.toml")
        open(config, "w").write(f'kind = "hopfield.capacity"\nseed = 1\nN = {N}\nalpha = {P / N}\n')

        runs = []

        def task_seconds(starts):
            runs.append(starts)
            out = os.path.join(tmp, f"run{len(runs)}.h5")  # a new file each time: the CLI never overwrites
            subprocess.run([cli, "run", config, "-o", out, "-q", "-j", "1", "--set", f"starts={starts}"], check=True,
                           stdout=subprocess.DEVNULL)
            return spindiff.load(out).tasks[0].params["seconds"]

        many = min(task_seconds(100) for _ in range(3))
        one = min(task_seconds(1) for _ in range(3))
        cli_per_cue = (many - one) / 99
    print(f"  CLI hopfield.capacity, stored pattern    {cli_per_cue * 1e6:9.1f} us   "
          f"(Python / CLI = {per_cue / cli_per_cue:.2f})")


def inputs():
    n, d = 32_768, 256
    training = np.random.default_rng(5).normal(size=(n, d))
    fortran, samples = np.asfortranarray(training), training[:4].copy()
    print(f"nearest_training_distances, 4 samples against {n} x {d} training points ({training.nbytes >> 20} MB):")
    c_order = fastest(lambda: sd.nearest_training_distances(samples, training))
    f_order = fastest(lambda: sd.nearest_training_distances(samples, fortran))
    print(f"  C-ordered (read in place)         {c_order * 1e3:9.2f} ms")
    print(f"  Fortran order (converted once)    {f_order * 1e3:9.2f} ms   ({f_order / c_order:5.2f} x C-ordered)")
    net = hop.Network(hop.random_patterns(N=64, P=2, seed=1))
    state = hop.random_patterns(N=64, P=1, seed=2)[0]
    checked, unchecked = net.energy, hop.Network.energy.__wrapped__
    calls = 20_000
    with_check = fastest(lambda: [checked(state) for _ in range(calls)]) / calls
    without = fastest(lambda: [unchecked(net, state) for _ in range(calls)]) / calls
    print("a small call (Network.energy, N = 64) through the argument check:")
    print(f"  without the check                 {without * 1e6:9.2f} us")
    print(f"  with the check                    {with_check * 1e6:9.2f} us   ({with_check / without:5.2f} x)")


if __name__ == "__main__":
    sampler_steps()
    langevin_steps()
    collapse()
    recall(sys.argv[1] if len(sys.argv) > 1 else None)
    inputs()
