"""spindiff.spins: exact enumeration against brute force in NumPy, the chain against exact averages."""
import itertools

import numpy as np
import pytest

import spindiff.spins as sp


def brute_force_energy_per_spin(J, T):
    n = len(J)
    states = np.array(list(itertools.product([-1, 1], repeat=n)), dtype=float)
    E = -0.5 * np.einsum("si,ij,sj->s", states, J, states)
    w = np.exp(-(E - E.min()) / T)
    return (w @ E) / w.sum() / n


def ising_couplings(L):
    J = np.zeros((L * L, L * L))
    for x, y in itertools.product(range(L), repeat=2):
        i = x * L + y
        for j in (((x + 1) % L) * L + y, x * L + (y + 1) % L):
            J[i, j] = J[j, i] = 1.0
    return J


def test_exact_matches_brute_force_for_lattice_dense_and_edges():
    J = ising_couplings(3)
    expected = brute_force_energy_per_spin(J, 2.0)
    text = "\n".join(f"{i} {j} 1" for i, j in zip(*np.nonzero(np.triu(J))))
    for model in (sp.ising(L=3), sp.dense(J), sp.edges(text)):
        table = sp.exact(model, [2.0, 3.0])
        assert list(table["T"]) == [2.0, 3.0]
        assert table["energy"][0] == pytest.approx(expected, rel=1e-12)


def test_chain_samples_the_exact_energy():
    model = sp.ising(L=4)
    exact = sp.exact(model, 2.5)["energy"][0] * model.N
    chain = sp.Chain(model, T=2.5, seed=1)
    chain.sweep(500)
    blocks = []
    for _ in range(200):
        e = []
        for _ in range(50):
            chain.sweep(1)
            e.append(chain.energy)
        blocks.append(np.mean(e))
    mean, err = np.mean(blocks), np.std(blocks, ddof=1) / np.sqrt(len(blocks))
    assert err < 0.02 * abs(exact)  # the error bar itself is small enough to test anything
    assert abs(mean - exact) < 4 * err
    assert chain.energy == pytest.approx(model.energy(chain.state))
    assert chain.magnetization == chain.state.sum() and chain.sweeps == 500 + 200 * 50


def test_same_seed_same_chain_and_state_access():
    a, b = sp.Chain(sp.sk(12, seed=3), T=0.7, seed=5), sp.Chain(sp.sk(12, seed=3), T=0.7, seed=5)
    a.sweep(100), b.sweep(100)
    np.testing.assert_array_equal(a.state, b.state)
    a.state = np.ones(12, dtype=np.int8)
    assert a.magnetization == 12
    assert a.energy == pytest.approx(sp.sk(12, seed=3).energy(np.ones(12, dtype=np.int8)), abs=1e-12)


def test_bad_inputs_are_refused_clearly():
    with pytest.raises(ValueError, match="rule: unknown"):
        sp.Chain(sp.ising(L=4), T=1.0, rule="wolf")
    with pytest.raises(ValueError, match="T: must be positive"):
        sp.Chain(sp.ising(L=4), T=0.0)
    with pytest.raises(ValueError, match="N <= 30"):
        sp.exact(sp.ising(L=8), 1.0)
    with pytest.raises(ValueError, match="symmetric"):
        sp.dense(np.triu(np.ones((3, 3)), 1))
    with pytest.raises(ValueError, match=r"state must have shape \(16,\)"):
        sp.Chain(sp.ising(L=4), T=1.0, state=np.ones(5, dtype=np.int8))
    chain = sp.Chain(sp.ising(L=4), T=1.0)
    with pytest.raises(ValueError, match="n: must be at least 0"):
        chain.sweep(-1)
    with pytest.raises(ValueError, match="n: must be at least 0"):
        chain.thermalize(-5)


@pytest.mark.parametrize("algorithm, order, kernel", [("metropolis", "random", "auto"),
                                                      ("heatbath", "sequential", "auto"), ("wolff", "random", "auto"),
                                                      ("metropolis", "checkerboard", "bytes"),
                                                      ("metropolis", "checkerboard", "multispin")])
def test_a_chain_reproduces_the_spins_thermo_task(tmp_path, algorithm, order, kernel):
    import spindiff
    config = {"kind": "spins.thermo", "seed": 9, "model": "ising", "L": 8, "T": 2.5, "algorithm": algorithm,
              "order": order, "sweeps": 300, "thermalize": 40}
    if kernel != "auto":
        config["kernel"] = kernel
    run = spindiff.run(config, output=tmp_path / "thermo.h5")
    chain = sp.Chain(sp.ising(L=8), T=2.5, rule=algorithm, order=order, kernel=kernel,
                     task=(9, run.tasks[0].params["point"], 0))
    chain.thermalize(40)
    energies, magnetizations = [], []
    for _ in range(300):
        chain.sweep(1)
        energies.append(chain.energy / 64)
        magnetizations.append(abs(chain.magnetization) / 64)
    assert np.mean(energies) == pytest.approx(run.summary["energy"][0], rel=1e-12, abs=1e-14)
    assert np.mean(magnetizations) == pytest.approx(run.summary["abs_magnetization"][0], rel=1e-12)
    assert chain.sweeps == 340


def test_chain_moves_follow_the_kinds_choice():
    assert sp.Chain(sp.ising(L=8), T=2.0, order="checkerboard", seed=1).move.startswith("checkerboard kernel")
    assert sp.Chain(sp.ising(L=8), T=2.0, order="checkerboard", kernel="bytes", seed=1).move == \
        "checkerboard kernel (bytes)"
    assert sp.Chain(sp.ising(L=8), T=2.0, order="checkerboard", kernel="multispin", seed=1).move == \
        "checkerboard kernel (multispin)"
    assert sp.Chain(sp.ising(L=8), T=2.0, rule="wolff", seed=1).move == "wolff"
    pt = sp.Chain(sp.sk(10, seed=2), T=0.5, tempering=[0.7, 1.0], seed=3)
    assert pt.move == "parallel tempering"
    pt.sweep(20)
    assert pt.energy == pytest.approx(sp.sk(10, seed=2).energy(pt.state), abs=1e-9)
    with pytest.raises(ValueError, match="wolff"):
        sp.Chain(sp.sk(10, seed=2), T=0.5, rule="wolff")
