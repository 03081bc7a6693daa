"""spindiff.langevin: built-in potentials against Python callables, the stationary law, errors."""
import numpy as np
import pytest

import spindiff.langevin as sl


@pytest.mark.parametrize("method", ["euler", "mala", "baoab"])
def test_a_callable_gradient_equal_to_the_built_in_one_gives_the_same_paths(method):
    a, b = 0.25, 0.5
    well = sl.Potential("double_well", dim=2, a=a, b=b)
    mine = sl.CallablePotential(lambda x: x * ((4 * a) * x**2 - 2 * b), dim=2,
                                energy=lambda x: (x**2 * (a * x**2 - b)).sum(axis=1))
    x0 = np.random.default_rng(1).normal(size=(256, 2))
    kw = dict(T=0.3, dt=0.01, steps=400, method=method, seed=11, record_every=100)
    built_in, callable_ = sl.integrate(well, x0, **kw), sl.integrate(mine, x0, **kw)
    np.testing.assert_allclose(callable_["x"], built_in["x"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(callable_["trajectory"], built_in["trajectory"], rtol=1e-12, atol=1e-12)
    assert built_in["trajectory"].shape == (5, 256, 2)
    np.testing.assert_array_equal(built_in["trajectory"][0], x0)
    if method == "mala":
        assert callable_["acceptance"] == built_in["acceptance"] and 0.5 < built_in["acceptance"] <= 1


def test_euler_maruyama_samples_its_own_stationary_variance():
    # For U = k x^2 / 2, Euler-Maruyama with h = dt / gamma has the stationary variance T / (k (1 - h k / 2)),
    # exactly; the sample variance of n independent particles has standard error var * sqrt(2 / (n - 1)).
    k, T, dt, n = 2.0, 0.5, 0.05, 20000
    r = sl.integrate(sl.Potential("harmonic", k=k), np.zeros((n, 1)), T=T, dt=dt, steps=400, seed=3)
    exact = T / (k * (1 - dt * k / 2))
    var = r["x"][:, 0].var(ddof=1)
    assert abs(var - exact) < 4 * exact * np.sqrt(2 / (n - 1))


def test_errors_name_the_argument():
    well = sl.Potential("double_well")
    x = np.zeros((10, 1))
    with pytest.raises(ValueError, match="method: unknown 'rk4'"):
        sl.integrate(well, x, method="rk4")
    with pytest.raises(ValueError, match="potential:"):
        sl.Potential("quartic")
    with pytest.raises(ValueError, match="dt: must be positive"):
        sl.integrate(well, x, dt=0)
    with pytest.raises(ValueError, match=r"x must have shape \(n, 1\)|x: .*1"):
        sl.integrate(well, np.zeros((10, 3)))
    with pytest.raises(TypeError):
        sl.integrate(well, np.zeros((10, 1), dtype=np.float32))
    no_energy = sl.CallablePotential(lambda x: x, dim=1)
    with pytest.raises(ValueError, match="mala needs the potential's energy"):
        sl.integrate(no_energy, x, method="mala")
    wrong = sl.CallablePotential(lambda x: x[:, :0], dim=1)
    with pytest.raises(ValueError, match="gradient callable must return"):
        sl.integrate(wrong, x, steps=3)
    with pytest.raises(RuntimeError, match="diverged"):
        sl.integrate(well, np.full((4, 1), 3.0), dt=5.0, steps=2000)


@pytest.mark.parametrize("method", ["euler", "baoab"])
def test_integrate_with_a_task_stream_reproduces_the_boltzmann_task(tmp_path, method):
    # A langevin.boltzmann task runs its particles in blocks of 1024, block k on the substream k + 1 of the stream
    # (seed, point, repeat, dynamics), i.e. on (seed, point, repeat, dynamics, k + 1), each started uniformly in the histogram box from that stream's first draws. integrate() given
    # the same stream and box=(lo, hi) starts and moves the same particles: the saved trajectories and the 2-D
    # histogram (binned here as the kind bins) are bit for bit the task's; the energy series is the same sum over
    # particles in another order (NumPy's), equal to rounding.
    import spindiff
    seed, particles, thermalize, steps, every, bins = 13, 300, 20, 200, 10, 20
    lo, hi = [-2.0, -1.5], [2.0, 1.5]
    run = spindiff.run({"kind": "langevin.boltzmann", "seed": seed, "potential": "double_well", "dim": 2,
                        "T": 0.5, "dt": 0.01, "integrator": method, "particles": particles, "steps": steps,
                        "thermalize": thermalize, "record_every": every, "bins": bins,
                        "range": [lo[0], hi[0], lo[1], hi[1]], "trajectory_particles": 4,
                        "trajectory_points": (thermalize + steps) // every}, output=tmp_path / "boltzmann.h5")
    task = run.tasks[0]
    well = sl.Potential("double_well", dim=2, a=0.25, b=0.5)
    r = sl.integrate(well, particles, T=0.5, dt=0.01, steps=thermalize + steps, method=method, record_every=every,
                     stream=(seed, task.params["point"], 0, "dynamics", 1), box=(lo, hi))
    frames = r["trajectory"]  # steps 0, every, 2 every, ...: the trajectory saves and the records
    assert frames.shape == (1 + (thermalize + steps) // every, particles, 2)
    np.testing.assert_array_equal(frames[:, :4, :], task["trajectory"])

    records = frames[thermalize // every + 1:]
    ex, ey = task["histogram/edges"], task["histogram/edges_y"]

    def bin_of(x, a, b):
        inside = (x >= a) & (x < b)
        return np.where(inside, np.minimum(bins - 1, ((x - a) / (b - a) * bins).astype(np.int64)), -1)

    ix, iy = bin_of(records[..., 0], lo[0], hi[0]), bin_of(records[..., 1], lo[1], hi[1])
    cells = (ix * bins + iy)[(ix >= 0) & (iy >= 0)]
    counts = np.bincount(cells, minlength=bins * bins).astype(np.float64)
    samples = float(particles * len(records))
    density = counts / samples / ((ex[1] - ex[0]) * (ey[1] - ey[0]))
    np.testing.assert_array_equal(density.reshape(bins, bins), task["histogram/density"])
    assert counts.sum() < samples  # some entries fall outside the box: the binning's edges are exercised

    energies = np.array([well.evaluate(f)[0].sum() / particles for f in records])
    np.testing.assert_allclose(energies, task["energy_series"], rtol=1e-12)
