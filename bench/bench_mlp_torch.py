#!/usr/bin/python3
"""DSM training throughput: spindiff's MLP (bench_mlp_train) against the same network and optimiser in PyTorch.

Usage: /usr/bin/python3 bench/bench_mlp_torch.py build/bench/bench_mlp_train [--repeats 3] [--min-time 1.0]

Both sides do the whole training step on one thread: draw a minibatch (with replacement) from 10,000 2-D points,
σ log-uniform in [0.01, 50], ε ~ N(0, I), features [c_in x_t, u, sin(2^k u), cos(2^k u) (k < 4), a] with
u = ln(σ)/4 and c_in = 1/sqrt(1 + σ²), an MLP Linear+SiLU × depth then Linear to 2 outputs, the loss
mean_i ‖ε̂_i − ε_i‖², backward, and Adam (lr 1e-3, β = (0.9, 0.999), eps 1e-8).
Rates are per CPU second on both sides (Google Benchmark's kIsRate counters use CPU time), so that a
shared, loaded machine penalises neither; the best of `repeats` runs is kept on both sides.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

# One thread for PyTorch and for the BLAS behind it, before torch is imported.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
import torch  # noqa: E402
from blas_report import blas_line  # noqa: E402

torch.set_num_threads(1)

CONFIGS = [(256, 128, 3), (32, 64, 3)]  # (batch, width, depth)
N_FREQ = 4
DIM = 2


def torch_rate(batch, width, depth, dtype, seconds):
    torch.manual_seed(0)
    din = DIM + 2 + 2 * N_FREQ
    layers, k = [], din
    for _ in range(depth):
        layers += [torch.nn.Linear(k, width), torch.nn.SiLU()]
        k = width
    layers.append(torch.nn.Linear(k, DIM))
    net = torch.nn.Sequential(*layers).to(dtype)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    data = torch.randn(10000, DIM, dtype=dtype)
    freqs = 2.0 ** torch.arange(N_FREQ, dtype=dtype)
    log_lo, log_hi = math.log(0.01), math.log(50.0)

    def step():
        x0 = data[torch.randint(0, data.shape[0], (batch,))]
        log_sigma = log_lo + (log_hi - log_lo) * torch.rand(batch, 1, dtype=dtype)
        sigma = torch.exp(log_sigma)
        a = torch.ones(batch, 1, dtype=dtype)
        eps = torch.randn(batch, DIM, dtype=dtype)
        xt = a * x0 + sigma * eps
        c_in = torch.rsqrt(a * a + sigma * sigma)
        u = 0.25 * log_sigma
        feats = torch.cat([c_in * xt, u, torch.sin(u * freqs), torch.cos(u * freqs), a], dim=1)
        loss = ((net(feats) - eps) ** 2).sum(dim=1).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    for _ in range(20):
        step()
    steps = 0
    t0 = time.process_time()
    while True:
        for _ in range(10):
            step()
        steps += 10
        elapsed = time.process_time() - t0
        if elapsed >= seconds:
            return batch * steps / elapsed


def spindiff_rates(binary, repeats, min_time):
    out = subprocess.run(
        [binary, "--benchmark_format=json", f"--benchmark_repetitions={repeats}", f"--benchmark_min_time={min_time}"],
        check=True, capture_output=True, text=True).stdout
    rates = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        name = b["run_name"] if "run_name" in b else b["name"]
        # BM_DsmTrain<double>/batch:256/width:128/depth:3/min_time:1.000
        precision = "float64" if "<double>" in name else "float32"
        fields = dict(part.split(":") for part in name.split("/")[1:] if ":" in part)
        key = (precision, int(fields["batch"]), int(fields["width"]), int(fields["depth"]))
        rates[key] = max(rates.get(key, 0.0), b["samples_per_second"])
    return rates


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", help="path to the bench_mlp_train program")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--min-time", type=float, default=1.0, help="seconds per measurement")
    args = parser.parse_args()

    ours = spindiff_rates(args.binary, args.repeats, args.min_time)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}; {blas_line()}; rates in samples per CPU second")
    header = (f"{'batch':>5} {'width':>5} {'depth':>5} | {'spindiff f64':>12} {'spindiff f32':>12} | "
              f"{'torch f32':>10} {'torch f64':>10} | {'f64/torch32':>11} {'f32/torch32':>11} {'f64/torch64':>11}")
    print(header)
    print("-" * len(header))
    for batch, width, depth in CONFIGS:
        t32 = max(torch_rate(batch, width, depth, torch.float32, args.min_time) for _ in range(args.repeats))
        t64 = max(torch_rate(batch, width, depth, torch.float64, args.min_time) for _ in range(args.repeats))
        s64 = ours.get(("float64", batch, width, depth), float("nan"))
        s32 = ours.get(("float32", batch, width, depth), float("nan"))
        print(f"{batch:5d} {width:5d} {depth:5d} | {s64:12.0f} {s32:12.0f} | {t32:10.0f} {t64:10.0f} | "
              f"{s64 / t32:11.2f} {s32 / t32:11.2f} {s64 / t64:11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
