#!/usr/bin/python3
"""Euler-Maruyama for 10^5 particles in the 1-D double well U = x^4/4 - x^2/2 (T = 0.5, dt = 1e-3):
spindiff (bench_langevin, one thread) against the same vectorised update in numpy, timed by one command.

    /usr/bin/python3 bench/bench_langevin_numpy.py [build/bench/bench_langevin]

numpy's update is written for speed: preallocated buffers, in-place ufuncs, default_rng().standard_normal
(PCG64 + ziggurat). Both run on one core; the ratio is particle-steps per ns of spindiff / numpy.
"""
import json
import os
import subprocess
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402
from blas_report import blas_line  # noqa: E402

PARTICLES = 100_000
T, DT, GAMMA = 0.5, 1e-3, 1.0


def numpy_rate(repeats=5, steps=200):
    rng = np.random.default_rng(1)
    x = rng.uniform(-1.5, 1.5, PARTICLES)
    xi = np.empty(PARTICLES)
    g = np.empty(PARTICLES)
    h = DT / GAMMA
    sigma = np.sqrt(2.0 * T * h)

    def step():
        rng.standard_normal(out=xi)
        np.multiply(x, x, out=g)  # g = x^2 - 1, then * x: grad U = x^3 - x
        np.subtract(g, 1.0, out=g)
        np.multiply(g, x, out=g)
        np.multiply(g, -h, out=g)
        np.add(x, g, out=x)
        np.multiply(xi, sigma, out=xi)
        np.add(x, xi, out=x)

    for _ in range(20):
        step()
    times = []
    for _ in range(repeats):
        t0 = time.process_time()
        for _ in range(steps):
            step()
        times.append(time.process_time() - t0)
    return PARTICLES * steps / (float(np.median(times)) * 1e9)  # median of CPU times, like Google Benchmark's


def spindiff_rates(binary):
    out = subprocess.run(
        [binary, "--benchmark_format=json", "--benchmark_repetitions=5", "--benchmark_report_aggregates_only=true",
         "--benchmark_filter=BM_EulerDoubleWell"],
        check=True, capture_output=True, text=True).stdout
    rates = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            rates[b["run_name"]] = b["particle_steps_per_ns"]
    return rates


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "build", "bench", "bench_langevin")
    rates = spindiff_rates(binary)
    numpy_ps = numpy_rate()
    print(f"Euler-Maruyama, 1-D double well, {PARTICLES} particles, one core (particle-steps per ns)")
    print(f"  {blas_line()} (not used by this workload)")
    print(f"  numpy {np.__version__} (default_rng standard_normal, in-place ufuncs): {numpy_ps:.4f}")
    for name, r in rates.items():
        print(f"  {name:40s} {r:.4f}   ratio to numpy {r / numpy_ps:.2f}x")


if __name__ == "__main__":
    main()
