#!/usr/bin/python3
"""numpy reference for bench_hopfield: one synchronous T = 0 sweep sign(W @ s) at N = 10,000, P = 1,000
(float64 W, 800 MB), with OpenBLAS on one thread, compared with the C++ asynchronous sweeps.

    /usr/bin/python3 bench/bench_hopfield_numpy.py build/bench/bench_hopfield [--blas-threads 1]

The C++ binary is run with --benchmark_format=json; its ns_per_update counters give the ratios.
"""
import argparse
import json
import os
import subprocess
import sys
import time

N, P = 10_000, 1_000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary", help="path to the bench_hopfield program")
    ap.add_argument("--blas-threads", type=int, default=1, help="OpenBLAS threads (default 1, like one C++ thread)")
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--bench-repetitions", type=int, default=5, help="repetitions of each C++ benchmark (the fastest is used)")
    args = ap.parse_args()

    os.environ["OPENBLAS_NUM_THREADS"] = str(args.blas_threads)  # before numpy loads OpenBLAS
    import numpy as np
    from blas_report import blas_line

    rng = np.random.default_rng(1)
    xi = rng.choice(np.array([-1.0, 1.0]), size=(N, P))
    W = (xi @ xi.T) / N
    np.fill_diagonal(W, 0.0)
    s = rng.choice(np.array([-1.0, 1.0]), size=N)
    times = []
    for _ in range(args.repeats):  # CPU time, like the C++ counters: a loaded machine penalises neither side
        t0 = time.process_time()
        h = W @ s
        s_new = np.where(h != 0, np.sign(h), s)  # ties keep the spin, as in spindiff
        times.append(time.process_time() - t0)
    assert s_new.shape == (N,)
    numpy_ns = min(times) / N * 1e9
    print(f"numpy {np.__version__}; {blas_line()}")
    print(f"numpy sign(W @ s), N={N}: {min(times) * 1e3:.2f} ms per sweep (best of {args.repeats}), "
          f"{numpy_ns:.1f} ns per spin update")

    out = subprocess.run([args.binary, "--benchmark_format=json", "--benchmark_min_time=0.2",
                          f"--benchmark_repetitions={args.bench_repetitions}", f"--benchmark_report_aggregates_only={str(args.bench_repetitions > 1).lower()}",
                          "--benchmark_enable_random_interleaving=true"],
                         check=True, capture_output=True, text=True).stdout
    # The fastest repetition of each benchmark (its `_min` aggregate): the least disturbed on a shared machine.
    # Repetitions run in random order, so each benchmark samples the machine's slow and quiet spells alike.
    wanted = "min" if args.bench_repetitions > 1 else None  # one repetition has no aggregates
    results = [dict(b, name=b["run_name"]) for b in json.loads(out)["benchmarks"] if b.get("aggregate_name") == wanted]
    results.sort(key=lambda b: b.get("family_index", 0))  # the program's order, not the interleaved one
    for b in results:
        ns = b["ns_per_update"] * 1e9  # counter is seconds per update
        print(f"{b['name']:<45s} {ns:10.1f} ns per update   numpy/this = {numpy_ns / ns:6.2f}")
    by = {b["name"].split("/")[0]: b["ns_per_update"] * 1e9 for b in results}
    if "BM_PatternForm_random_start" in by and "BM_Dense_random_start" in by:
        print(f"pattern form vs dense W (random start): {by['BM_Dense_random_start'] / by['BM_PatternForm_random_start']:.1f}x faster")
    if "BM_PatternForm_at_pattern" in by and "BM_Dense_at_pattern" in by:
        print(f"pattern form vs dense W (at a pattern): {by['BM_Dense_at_pattern'] / by['BM_PatternForm_at_pattern']:.2f}x")
    for start in ("random_start", "noisy_cue", "at_pattern"):
        best, lanes = f"BM_PatternForm_{start}", f"BM_PatternForm_int16_avx512_{start}"
        if best in by and lanes in by and by[lanes] > 0:
            print(f"chosen store vs int16 AVX-512 lanes ({start}): {by[lanes] / by[best]:.2f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
