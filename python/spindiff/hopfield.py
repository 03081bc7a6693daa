"""Hopfield networks: store ±1 patterns with a learning rule, recall from cues by T = 0 energy descent
or, with T > 0, by Glauber (heat-bath) dynamics for max_sweeps sweeps.

    import numpy as np, spindiff
    xi = spindiff.hopfield.random_patterns(N=500, P=25, seed=1)       # (P, N) int8
    net = spindiff.hopfield.Network(xi, rule="hebb")                   # or "pseudo-inverse", "storkey"
    cue = xi[0].copy(); cue[:100] *= -1                                # 20 % of the bits flipped
    r = net.recall(cue, seed=3)                                        # dict: state, energies, overlaps, ...
    net.overlaps(r["state"])[0], net.energy(r["state"])
    hot = net.recall(cue, T=0.3, max_sweeps=50, seed=3)                # finite temperature: 50 sweeps

A recall with seed s orders its asynchronous sweeps by the stream (s, point 0, repeat 0, dynamics);
stream=(seed, point, repeat, purpose, substream) names any other stream (a kind's: point = its task's `point` attribute).
"""
from ._core.hopfield import Network, random_patterns

__all__ = ["Network", "random_patterns"]
