"""The runner from Python against the CLI: same datasets, same files, same errors."""
import h5py
import numpy as np
import pandas as pd
import pytest

import spindiff


def datasets(path):
    """Every dataset of a result file (not the provenance attributes, which name the command and time)."""
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, item: out.__setitem__(name, item[()]) if isinstance(item, h5py.Dataset) else None)
    return out


def test_version_is_the_cli_version(cli):
    assert cli("--version").stdout.split()[1] == spindiff.__version__


def test_kinds_are_the_cli_list(cli):
    listed = [line.split()[0] for line in cli("list").stdout.splitlines()]
    assert list(spindiff.kinds()["kind"]) == listed


def test_describe_lists_the_declared_parameters():
    description = spindiff.describe("hopfield.capacity")
    table, results = description
    assert table is description.parameters and results is description.results
    assert isinstance(table, pd.DataFrame) and isinstance(results, pd.DataFrame)
    row = table.set_index("parameter").loc["alpha"]
    assert row["type"] == "float" and row["summary"] and row["allowed"] == "[0, 2]"
    assert {"seed", "repeats", "N", "rule"} <= set(table["parameter"])


def test_describe_lists_the_result_columns(cli):
    results = spindiff.describe("hopfield.capacity").results.set_index("column")
    assert {"overlap", "error_fraction"} <= set(results.index)
    assert results.loc["overlap", "error_column"] and "overlap" in results.loc["overlap", "meaning"]
    exact = spindiff.describe("ising.exact").results.set_index("column")
    assert exact.loc["energy", "unit"] == "J" and not exact.loc["energy", "error_column"]
    # the CLI lists the same columns
    text = cli("describe", "hopfield.capacity").stdout
    assert "result columns" in text and "error_fraction" in text


def test_every_summary_dataset_carries_its_meaning(capacity_toml, tmp_path):
    out = tmp_path / "doc.h5"
    spindiff.run(capacity_toml, output=out, N=100)
    declared = spindiff.describe("hopfield.capacity").results.set_index("column")
    with h5py.File(out, "r") as f:
        summary = f["summary"]
        for name in summary:
            assert summary[name].attrs["doc"], name
        assert summary["overlap_err"].attrs["doc"] == "standard error of: " + declared.loc["overlap", "meaning"]
        assert summary["alpha"].attrs["doc"].startswith("parameter: ")
    columns = spindiff.load(out).columns.set_index("column")
    assert columns.loc["overlap", "meaning"] == declared.loc["overlap", "meaning"]


def test_run_writes_the_datasets_of_the_cli(cli, capacity_toml, tmp_path):
    cli_file = tmp_path / "cli.h5"
    assert cli("run", str(capacity_toml), "-o", str(cli_file), "-q", "--threads", "2", "--set", "N=300").returncode == 0
    py_file = tmp_path / "py.h5"
    run = spindiff.run(capacity_toml, output=py_file, N=300)
    expected, got = datasets(cli_file), datasets(py_file)
    assert sorted(got) == sorted(expected)
    for name in expected:
        np.testing.assert_array_equal(got[name], expected[name], err_msg=name)
    assert run.path == str(py_file)


def test_load_of_a_cli_file(cli, capacity_toml, tmp_path):
    out = tmp_path / "cli.h5"
    assert cli("run", str(capacity_toml), "-o", str(out), "-q").returncode == 0
    run = spindiff.load(out)
    with h5py.File(out, "r") as f:
        columns = [c.decode() if isinstance(c, bytes) else c for c in f["summary"].attrs["columns"]]
        assert list(run.summary.columns) == columns
        for c in columns:
            np.testing.assert_array_equal(run.summary[c].to_numpy(), f["summary"][c][()])
        np.testing.assert_array_equal(run.tasks[1]["final_overlap"], f["tasks/0001/final_overlap"][()])
    assert run.kind == "hopfield.capacity" and run.attrs["seed"] == 7
    assert run.config["sweep"]["alpha"] == [0.05, 0.2]
    assert run.tasks[1].params["alpha"] == 0.2 and len(run.tasks) == 2


def test_a_dict_config_runs_like_the_file(capacity_toml):
    from_file = spindiff.run(capacity_toml)
    from_dict = spindiff.run({"kind": "hopfield.capacity", "seed": 7, "repeats": 3, "N": 200,
                              "sweep": {"alpha": [0.05, 0.2]}})
    pd.testing.assert_frame_equal(from_dict.summary, from_file.summary)


def test_overrides_use_the_cli_names_and_sweeps(capacity_toml):
    run = spindiff.run(capacity_toml, sweep={"alpha": [0.05, 0.1, 0.15]}, rule="storkey", threads=2)
    assert list(run.summary["alpha"]) == [0.05, 0.1, 0.15]
    assert run.config["rule"] == "storkey"


@pytest.mark.parametrize("overrides, key", [
    ({"N": 5}, "N"),                  # out of range
    ({"rule": "hebbian"}, "rule"),    # not a choice
    ({"Nx": 100}, "Nx"),              # unknown name
    ({"sweep": {"alpha": [3.0]}}, "sweep.alpha"),
])
def test_bad_parameters_raise_value_error_naming_the_key(capacity_toml, overrides, key):
    with pytest.raises(ValueError) as error:
        spindiff.run(capacity_toml, **overrides)
    assert f"'{key}'" in str(error.value) and error.value.key == key


def test_errors_carry_the_cli_message(cli, capacity_toml):
    message = cli("run", str(capacity_toml), "--set", "N=5").stderr.strip()
    with pytest.raises(spindiff.ConfigError) as error:
        spindiff.run(capacity_toml, N=5)
    assert message == f"spindiff: error: {error.value}"


def test_unknown_kind_and_value_types():
    with pytest.raises(ValueError, match="did you mean 'hopfield.capacity'"):
        spindiff.describe("hopfield.capacit")
    with pytest.raises(ValueError, match="object"):
        spindiff.run({"kind": "hopfield.capacity"}, N=object())


def test_dotted_parameter_names_as_overrides():
    run = spindiff.run({"kind": "diffusion.sample", "seed": 1, "n_samples": 50, "n_eval": 50, "steps": 5},
                       **{"mixture.weights": [0.3, 0.7]})
    np.testing.assert_array_equal(run.tasks[0].params["mixture.weights"], [0.3, 0.7])


def test_ctrl_c_stops_a_run_between_tasks():
    import _thread
    import threading
    import time
    # One task of at least 0.05 s (the runner looks for Ctrl-C every 0.1 s).
    config = {"kind": "hopfield.capacity", "seed": 1, "repeats": 10, "N": 1000, "alpha": 0.1}
    while True:
        start = time.perf_counter()
        spindiff.run(config)
        one_task = time.perf_counter() - start
        if one_task >= 0.05 or config["repeats"] >= 10000:
            break
        config["repeats"] *= 2
    tasks = 60
    timer = threading.Timer(5 * one_task, _thread.interrupt_main)  # Ctrl-C, as the terminal sends it
    start = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        spindiff.run(config, sweep={"alpha": list(np.linspace(0.05, 0.15, tasks))})
    elapsed = time.perf_counter() - start
    timer.join()
    # on one thread all 60 tasks take about 60 times one task; stopping after the running one takes far less
    assert elapsed < 0.5 * tasks * one_task, f"{elapsed:.2f} s to stop; one task takes {one_task:.3f} s"
