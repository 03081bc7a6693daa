"""Bring your own score: a small PyTorch network, trained here by denoising score matching on a 2-D
Gaussian mixture, drives spindiff's samplers and bridge analyses; the samples are compared with the exact score's.

    /usr/bin/python3 python/examples/torch_score.py

Skipped (exit 0, with a message) when PyTorch is not installed: spindiff itself never needs it.
"""
import sys
import time

import numpy as np

import spindiff.diffusion as sd

try:
    import torch
except ImportError:
    print("torch_score.py: PyTorch is not installed (Debian: python3-torch); skipping this example")
    sys.exit(0)

torch.manual_seed(0)
torch.set_num_threads(1)
exact = sd.GaussianMixtureScore(weights=[0.2, 0.8], means=np.array([[-5.0, -5.0], [5.0, 5.0]]), stds=[1.0, 1.0])
data = torch.from_numpy(exact.sample_data(20000, seed=1))
SIGMA_MIN, SIGMA_MAX = 0.01, 50.0  # the "ve" process's noise range
STEPS = 2000  # Adam steps of 256 points

# eps-prediction network: input x / sqrt(1 + sigma^2) and log sigma; score = -eps / sigma.
net = torch.nn.Sequential(torch.nn.Linear(3, 64), torch.nn.SiLU(), torch.nn.Linear(64, 64), torch.nn.SiLU(),
                          torch.nn.Linear(64, 2)).double()


def eps_hat(x, sigma):
    inputs = torch.cat([x / torch.sqrt(1 + sigma ** 2), torch.log(sigma)], dim=1)
    return net(inputs)


start, cpu_start = time.time(), time.process_time()
optimiser = torch.optim.Adam(net.parameters(), lr=2e-3)
for step in range(STEPS):
    x0 = data[torch.randint(len(data), (256,))]
    sigma = SIGMA_MIN * (SIGMA_MAX / SIGMA_MIN) ** torch.rand(256, 1, dtype=torch.float64)
    z = torch.randn_like(x0)
    loss = ((eps_hat(x0 + sigma * z, sigma) - z) ** 2).mean()
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
print(f"trained {STEPS} steps in {time.time() - start:.1f} s wall, {time.process_time() - cpu_start:.1f} s CPU, "
      f"final loss {loss.item():.3f}")


# The two lines that make a PyTorch model a spindiff score: f(x[n, d], sigma) -> ndarray[n, d].
@torch.no_grad()
def learned(x, sigma):
    s = torch.full((len(x), 1), sigma, dtype=torch.float64)
    return (-eps_hat(torch.tensor(x), s) / sigma).numpy()


x = sd.Process("ve").sample_prior(1000, 2, seed=2)
fresh = exact.sample_data(2000, seed=3)
for name, score in [("exact", exact), ("torch", learned)]:
    start = time.time()
    samples, nfe = sd.sample(score, x, sampler="euler_maruyama", process="ve", steps=300, seed=4)
    weights = sd.mode_fractions(samples, exact.means)
    print(f"{name:5s}: {nfe} score calls in {time.time() - start:.2f} s, mode weights {np.round(weights, 3)}, "
          f"MMD^2 {sd.mmd2(samples, fresh):.5f}, sliced W2 {sd.sliced_w2(samples, fresh, seed=5):.3f}")

# The bridge analyses take the same callable: the memorisation detector (reverse OU diffusion, then the
# nearest and second-nearest training points of each sample) on the network, and on a pure memory.
import spindiff.bridge as sb  # noqa: E402

train = data.numpy()
network = sb.memorization(learned, train, samples=1000, seed=6)
few = train[:20]
memory = sb.memorization(sd.EmpiricalScore(few), few, samples=1000, seed=6)
print(f"copy fraction: torch network vs its {len(train)} training points {network['copy_fraction']:.3f}; "
      f"empirical score of {len(few)} points vs them {memory['copy_fraction']:.3f}")

# The collapse measurement on the same two: when backward trajectories lock onto single training points
# (mean posterior entropy down to ln 2; NaN: not before t_min). The memory of 20 points locks on early; the
# network's trajectories end among its 20000 training points, with several of them still in the posterior.
for name, score, points in [("torch network", learned, train), ("empirical score", sd.EmpiricalScore(few), few)]:
    c = sb.collapse(score, points, trajectories=200, T=3.0, seed=7)
    print(f"collapse onto {len(points)} training points, {name}: t_collapse {c['t_collapse']:.3f}, "
          f"posterior entropy at t_min {c['entropy'][-1]:.2f} nats")
