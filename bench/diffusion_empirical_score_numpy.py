"""The empirical-score workload of diffusion_empirical_score.cpp (P = 10,000, d = 256, n = 1024 queries) in
numpy on one OpenBLAS thread, and (given its path) the C++ program in the same command, with the ratios:

    /usr/bin/python3 bench/diffusion_empirical_score_numpy.py [build/bench/diffusion_empirical_score]

Same flop count (4 n P d for the two matrix products), same blocking over patterns with a streaming log-sum-exp
would only slow numpy down, so the whole n x P logit matrix is formed at once. Times are process CPU times,
best of the repeats, on both sides (the C++ program's counters use the thread's CPU time).
"""
import json
import os
import subprocess
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402
from blas_report import blas_line  # noqa: E402

P, D = 10_000, 256


def score(x, xi, half_sq, a, sigma):
    iv = 1.0 / sigma**2
    logits = (a * iv) * (x @ xi.T) - (a * a * iv) * half_sq
    logits -= logits.max(axis=1, keepdims=True)
    w = np.exp(logits)
    w /= w.sum(axis=1, keepdims=True)
    return (a * iv) * (w @ xi) - iv * x


def spindiff_gflops(binary):
    """Best GFLOP/s over 3 repetitions of each batched run, with its fraction of one core's peak, by
    (n, qblock, pblock)."""
    out = subprocess.run([binary, "--benchmark_format=json", "--benchmark_filter=BM_EmpiricalScoreBatched",
                          "--benchmark_repetitions=3"], check=True, capture_output=True, text=True).stdout
    best = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("run_type") == "iteration":
            key = b["run_name"].split("/", 1)[1]
            if b["GFLOPs"] > best.get(key, (0.0, 0.0))[0]:
                best[key] = (b["GFLOPs"], b["peak_frac"])
    return best


def main():
    rng = np.random.default_rng(1)
    xi = rng.standard_normal((P, D))
    half_sq = 0.5 * (xi * xi).sum(axis=1)
    print(f"numpy {np.__version__}; {blas_line()}")
    ours = spindiff_gflops(sys.argv[1]) if len(sys.argv) > 1 else {}
    for n in (1024, 256, 64):
        x = rng.standard_normal((n, D))
        best = 1e30
        for _ in range(5):
            t0 = time.process_time()
            score(x, xi, half_sq, 0.6, 0.8)
            best = min(best, time.process_time() - t0)
        gflops = 4.0 * n * P * D / best * 1e-9
        print(f"numpy n={n:5d}: {best * 1e3:8.1f} ms  {gflops:6.1f} GFLOP/s")
        for key, (g, peak) in ours.items():
            if key.startswith(f"n:{n}/"):
                print(f"    spindiff {key:28s} {g:6.1f} GFLOP/s ({100 * peak:.0f} % of peak)  {g / gflops:5.2f}x numpy")


if __name__ == "__main__":
    main()
