"""spindiff.hopfield against the definitions and the CLI's conventions."""
import numpy as np
import pytest

import spindiff.hopfield as hop


def test_patterns_are_fixed_points_and_the_energy_is_the_hebb_energy():
    xi = hop.random_patterns(N=400, P=8, seed=1)
    assert xi.shape == (8, 400) and xi.dtype == np.int8 and set(np.unique(xi)) == {-1, 1}
    net = hop.Network(xi, rule="hebb")
    s = xi[3]
    W = xi.T.astype(float) @ xi / 400
    np.fill_diagonal(W, 0)
    assert net.energy(s) == pytest.approx(-0.5 * s @ W @ s, rel=1e-12)
    np.testing.assert_allclose(net.overlaps(s), xi.astype(int) @ s / 400)


@pytest.mark.parametrize("rule", ["hebb", "pseudo-inverse", "storkey"])
def test_recall_cleans_a_noisy_cue(rule):
    xi = hop.random_patterns(N=300, P=10, seed=2)
    net = hop.Network(xi, rule=rule)
    cue = xi[0].copy()
    cue[:45] *= -1  # overlap 0.7
    r = net.recall(cue, seed=4)
    assert r["converged"] and r["overlaps"][-1, 0] == 1.0
    np.testing.assert_array_equal(r["state"], xi[0])
    assert np.all(np.diff(r["energies"]) <= 1e-12)  # T = 0 descent never raises the energy
    again = net.recall(cue, seed=4)
    np.testing.assert_array_equal(again["energies"], r["energies"])


def test_dense_and_pattern_form_give_the_same_trajectory():
    xi = hop.random_patterns(N=200, P=30, seed=3)
    cue = hop.random_patterns(N=200, P=1, seed=9)[0]
    a = hop.Network(xi, evaluation="dense").recall(cue, seed=1)
    b = hop.Network(xi, evaluation="pattern_form").recall(cue, seed=1)
    np.testing.assert_array_equal(a["state"], b["state"])
    np.testing.assert_array_equal(a["energies"], b["energies"])


def test_bad_inputs_are_refused_clearly():
    xi = hop.random_patterns(N=50, P=3, seed=1)
    with pytest.raises(ValueError, match="rule: unknown 'hebbian'"):
        hop.Network(xi, rule="hebbian")
    with pytest.raises(ValueError, match="only \\+1 and -1"):
        hop.Network(xi * 2)
    with pytest.raises(TypeError, match="integer array"):
        hop.Network(xi.astype(float))
    net = hop.Network(xi)
    with pytest.raises(ValueError, match=r"cue must have shape \(50,\)"):
        net.recall(xi[0][:10])
    with pytest.raises(ValueError, match="T:"):
        net.recall(xi[0], T=0.5)
