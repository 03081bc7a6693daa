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
        net.recall(xi[0], T=-0.5)
    with pytest.raises(ValueError, match="update:"):
        net.recall(xi[0], T=0.5, update="sync")
    with pytest.raises(ValueError, match="max_sweeps: must be at least 0"):
        net.recall(xi[0], max_sweeps=-1)


def test_finite_temperature_recall_holds_the_curie_weiss_overlap():
    # One stored pattern is the Curie-Weiss ferromagnet in the gauge of the pattern: m = tanh(m / T),
    # m = 0.957504 at T = 0.5. Var(m) = (1 - m^2) / (N (1 - (1 - m^2) / T)) at large N; the mean over the
    # last 40 sweeps is within 4 single-sweep standard deviations (a bound its own correlations respect).
    N, T = 4000, 0.5
    xi = hop.random_patterns(N=N, P=1, seed=5)
    net = hop.Network(xi)
    r = net.recall(xi[0], T=T, max_sweeps=60, seed=6)
    assert r["overlaps"].shape == (61, 1) and r["sweeps"] == 60 and not r["converged"]
    m_exact = 0.957504
    sd = np.sqrt((1 - m_exact**2) / (N * (1 - (1 - m_exact**2) / T)))
    assert abs(r["overlaps"][20:, 0].mean() - m_exact) < 4 * sd
    # Above T_c = 1 the memory is lost: m decays to O(1/sqrt(N)).
    hot = net.recall(xi[0], T=1.5, max_sweeps=60, seed=6)
    assert abs(hot["overlaps"][20:, 0].mean()) < 4 / np.sqrt(N * (1 - 1 / 1.5))
    # Same seed, same trajectory; dense and pattern form agree.
    again = net.recall(xi[0], T=T, max_sweeps=60, seed=6)
    np.testing.assert_array_equal(again["state"], r["state"])
    dense = hop.Network(xi, evaluation="dense").recall(xi[0], T=T, max_sweeps=60, seed=6)
    np.testing.assert_array_equal(dense["overlaps"], r["overlaps"])


def test_synchronous_recall_reports_two_cycles_and_a_reported_cycle_is_one():
    # Load P/N = 0.2 from random states: synchronous recall ends at fixed points or two-cycles (symmetric W).
    xi = hop.random_patterns(N=300, P=60, seed=5)
    net = hop.Network(xi, rule="hebb", evaluation="dense")
    W = xi.T.astype(float) @ xi / 300
    np.fill_diagonal(W, 0)

    def sync_step(s):  # ties keep the spin
        h = W @ s
        return np.where(h > 0, 1, np.where(h < 0, -1, s)).astype(np.int8)

    cycles = 0
    for k in range(10):
        cue = hop.random_patterns(N=300, P=1, seed=100 + k)[0]
        r = net.recall(cue, update="sync", max_sweeps=200, seed=1)
        assert r["converged"] != r["two_cycle"]
        one = sync_step(r["state"])
        np.testing.assert_array_equal(sync_step(one), r["state"])
        assert np.array_equal(one, r["state"]) == r["converged"]
        cycles += r["two_cycle"]
    assert cycles > 0
    assert not net.recall(xi[0], seed=1)["two_cycle"]  # asynchronous: never


@pytest.mark.parametrize("dynamics", ["async", "sync"])
def test_recall_reproduces_the_letters_task(tmp_path, dynamics):
    # The hopfield.letters kind recalls each distorted cue with the dynamics stream (seed, point, repeat, dynamics,
    # k * trials + t); Network.recall given that stream and the task's stored letters and cues ends in the same
    # states after the same sweeps, with the same energies.
    import spindiff
    trials = 3
    run = spindiff.run({"kind": "hopfield.letters", "seed": 11, "letters": 4, "trials": trials, "noise": 0.25,
                        "rule": "hebb", "dynamics": dynamics, "max_sweeps": 30}, output=tmp_path / "letters.h5")
    task = run.tasks[0]
    stored = task["stored"].reshape(len(task["stored"]), -1)
    cues, recalled = task["cues"].reshape(len(task["cues"]), -1), task["recalled"].reshape(len(task["cues"]), -1)
    net = hop.Network(stored, rule="hebb")
    point = task.params["point"]
    for i, cue in enumerate(cues):
        r = net.recall(cue, update=dynamics, max_sweeps=30, stream=(11, point, 0, "dynamics", i))
        assert np.array_equal(r["state"], recalled[i])
        assert r["sweeps"] == task["sweeps"][i] and r["converged"] == task["converged"][i]
        assert np.array_equal(r["energies"], task["energies"][i][:len(r["energies"])])
    assert task["cue_letter"].tolist() == [k for k in range(4) for _ in range(trials)]  # cue i: substream i
