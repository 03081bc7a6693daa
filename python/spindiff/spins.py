"""Spin models, exact enumeration and Monte Carlo chains on the library's driver.

    import spindiff.spins as sp
    m = sp.ising(L=4, dim=2)                       # also sp.sk(N, seed=...), sp.dense(J, h), sp.edges(text)
    sp.exact(m, [2.0, 2.269, 2.5])                 # DataFrame: T, energy, specific_heat, abs_magnetization, ...
    chain = sp.Chain(sp.ising(L=32), T=2.0, seed=1)
    chain.thermalize(200); chain.sweep(1000); chain.energy, chain.magnetization, chain.state, chain.acceptance
    sp.Chain(sp.ising(L=32), T=2.269, rule="wolff", seed=1)                   # cluster moves
    sp.Chain(sp.ising(L=64), T=2.269, order="checkerboard", seed=1).move      # 'checkerboard kernel (multispin)'
    sp.Chain(sp.sk(64, seed=2), T=0.5, tempering=[0.6, 0.8, 1.0], seed=3)     # parallel tempering

A chain is what the spins.thermo and ising.thermo kinds run: rule (metropolis, heatbath, wolff), order
(random, sequential, checkerboard), kernel (auto, multispin, bytes, generic) and tempering pick the move
as the kinds' parameters do. Its random
start and its moves draw from the streams (seed, point 0, repeat 0, init / dynamics ...); task=(seed, point,
repeat) names a kind task's streams instead (point: the task's `point` attribute), so the same chain runs.

Energies are totals E(s) = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i; exact() reports them per spin.
"""
import pandas as pd

from ._core import spins as _s
from ._core.spins import Chain, Model, dense, edges, ising, sk


def exact(model, T):
    """Exact Boltzmann averages (per spin) at each temperature in T, by enumerating all 2^N states."""
    return pd.DataFrame(_s.exact(model, T))


__all__ = ["Chain", "Model", "dense", "edges", "exact", "ising", "sk"]
