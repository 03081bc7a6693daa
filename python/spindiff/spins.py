"""Spin models, exact enumeration and a single-spin-flip Monte Carlo chain.

    import spindiff.spins as sp
    m = sp.ising(L=4, dim=2)                       # also sp.sk(N, seed=...), sp.dense(J, h), sp.edges(text)
    sp.exact(m, [2.0, 2.269, 2.5])                 # DataFrame: T, energy, specific_heat, abs_magnetization, ...
    chain = sp.Chain(sp.ising(L=32), T=2.0, seed=1)
    chain.sweep(1000); chain.energy, chain.magnetization, chain.state

Energies are totals E(s) = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i; exact() reports them per spin.
"""
import pandas as pd

from ._core import spins as _s
from ._core.spins import Chain, Model, dense, edges, ising, sk


def exact(model, T):
    """Exact Boltzmann averages (per spin) at each temperature in T, by enumerating all 2^N states."""
    return pd.DataFrame(_s.exact(model, T))


__all__ = ["Chain", "Model", "dense", "edges", "exact", "ising", "sk"]
