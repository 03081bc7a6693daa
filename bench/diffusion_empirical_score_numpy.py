"""The empirical-score workload of diffusion_empirical_score.cpp (P = 10,000, d = 256, n = 1024 queries) in
numpy on one OpenBLAS thread, for comparison:

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/diffusion_empirical_score_numpy.py

Same flop count (4 n P d for the two matrix products), same blocking over patterns with a streaming log-sum-exp
would only slow numpy down, so the whole n x P logit matrix is formed at once. Times are process CPU times,
best of the repeats.
"""
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

P, D = 10_000, 256


def score(x, xi, half_sq, a, sigma):
    iv = 1.0 / sigma**2
    logits = (a * iv) * (x @ xi.T) - (a * a * iv) * half_sq
    logits -= logits.max(axis=1, keepdims=True)
    w = np.exp(logits)
    w /= w.sum(axis=1, keepdims=True)
    return (a * iv) * (w @ xi) - iv * x


def main():
    rng = np.random.default_rng(1)
    xi = rng.standard_normal((P, D))
    half_sq = 0.5 * (xi * xi).sum(axis=1)
    config = np.show_config if hasattr(np, "show_config") else None
    for n in (1024, 256, 64):
        x = rng.standard_normal((n, D))
        best = 1e30
        for _ in range(5):
            t0 = time.process_time()
            score(x, xi, half_sq, 0.6, 0.8)
            best = min(best, time.process_time() - t0)
        print(f"numpy n={n:5d}: {best * 1e3:8.1f} ms  {4.0 * n * P * D / best * 1e-9:6.1f} GFLOP/s")
    del config


if __name__ == "__main__":
    main()
