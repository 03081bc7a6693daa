"""The runner from Python: run a configuration, load a result file, tables as DataFrames."""
import json
import math
import os
import tempfile
import tomllib

import h5py
import numpy as np
import pandas as pd

from . import _core


def kinds():
    """Every experiment kind (columns kind, summary), in `spindiff list` order."""
    return pd.DataFrame(_core.kinds(), columns=["kind", "summary"])


def _allowed(row):
    if row["choices"]:
        return " | ".join(row["choices"])
    if row["type"] == "file":
        return "existing file (relative to the config)"
    lo, hi = row["min"], row["max"]
    if lo is not None and hi is not None:
        return f"[{lo:g}, {hi:g}]"
    if lo is not None:
        return f">= {lo:g}"
    if hi is not None:
        return f"<= {hi:g}"
    return ""


class KindDescription(tuple):
    """What `describe` returns: `.parameters` and `.results`, two DataFrames (also unpackable as a pair)."""

    def __new__(cls, kind, parameters, results):
        self = super().__new__(cls, (parameters, results))
        self.kind = kind
        return self

    parameters = property(lambda self: self[0])
    results = property(lambda self: self[1])

    def __repr__(self):
        return (f"{self.kind}\n\nparameters:\n{self.parameters.to_string(index=False)}\n\n"
                f"result columns (/summary):\n{self.results.to_string(index=False)}")


def describe(kind):
    """The declarations of `kind`: `.parameters`, one row per parameter (parameter, type, default, allowed,
    summary, required, meaning, and the raw bounds min, max, choices), and `.results`, one row per /summary
    result column (column, meaning, unit, error_column: whether a `<column>_err` standard error may come
    with it; `name*` is a family of columns sharing the prefix). Raises ValueError for an unknown kind."""
    raw = _core.describe(kind)
    table = pd.DataFrame(raw["parameters"])
    table.insert(3, "allowed", [_allowed(r) for _, r in table.iterrows()])
    results = pd.DataFrame(raw["results"], columns=["column", "meaning", "unit", "error_column"])
    return KindDescription(kind, table, results)


# ---- configuration values as TOML text (the CLI's --set syntax) ---------------------------------

def _toml_value(v, key):
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, (str, os.PathLike)):
        return json.dumps(os.fspath(v))  # a TOML basic string
    if isinstance(v, (list, tuple, np.ndarray)):
        return "[" + ", ".join(_toml_value(x, key) for x in v) + "]"
    raise ValueError(f"{key}: cannot express a {type(v).__name__} in a configuration "
                     "(use numbers, strings, booleans or lists of them)")


def _flatten(prefix, value, out):
    """{"sweep": {"alpha": [...]}} -> [("sweep.alpha", [...])]."""
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    else:
        out.append((prefix, value))
    return out


def _overrides(overrides):
    return [f"{key}={_toml_value(v, key)}" for key, v in _flatten("", overrides, [])]


def _toml_key(key):
    """Bare keys keep their dots (dotted keys, as in the CLI's --set); anything else is quoted."""
    key = str(key)
    return key if key and all(c.isalnum() or c in "_-." for c in key) else json.dumps(key)


def _toml_text(config):
    """A configuration dict as TOML: top-level keys first, then one table per nested dict."""
    lines, tables = [], []
    for key, v in config.items():
        (tables if isinstance(v, dict) else lines).append((key, v))
    out = [f"{_toml_key(k)} = {_toml_value(v, k)}" for k, v in lines]
    for name, table in tables:
        out.append(f"[{_toml_key(name)}]")
        out += [f"{_toml_key(k)} = {_toml_value(v, f'{name}.{k}')}" for k, v in _flatten("", table, [])]
    return "\n".join(out) + "\n"


def run(config, output=None, threads=1, quiet=True, **overrides):
    """Runs an experiment and returns its Run.

    config: a TOML file, or a dict of the same keys (relative file parameters are then resolved against
    the working directory). overrides: the CLI's --set, by name: N=2000, sweep={"alpha": [0.05, 0.1]},
    or **{"mixture.weights": [0.2, 0.8]}. output: the HDF5 file to write (kept); None writes a
    temporary file and loads it. Bad parameters raise spindiff.ConfigError, a ValueError naming the key.
    """
    sets = _overrides(overrides)
    call = f"spindiff.run({config!r}" + "".join(f", {s}" for s in sets) + f", threads={threads})"
    with tempfile.TemporaryDirectory(prefix="spindiff-") as tmp:
        path = os.fspath(output) if output is not None else os.path.join(tmp, "run.h5")
        if output is not None:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        if isinstance(config, dict):
            _core.run(None, _toml_text(config), "<dict>", os.getcwd(), sets, path, int(threads), quiet, call)
        else:
            _core.run(os.fspath(config), None, "", "", sets, path, int(threads), quiet, call)
        result = load(path)
        if output is None:
            result.path = None  # the temporary file is gone; everything was read into memory
        return result


# ---- result files ------------------------------------------------------------------------------

def _decode(v):
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, np.ndarray) and v.dtype.kind in "SO":
        return np.array([x.decode() if isinstance(x, bytes) else x for x in v.ravel()],
                        dtype=object).reshape(v.shape)
    return v


def _datasets(group, prefix=""):
    """Every dataset below `group`, read into memory, keyed by its path relative to the group."""
    out = {}
    for name, item in group.items():
        if isinstance(item, h5py.Group):
            out.update(_datasets(item, f"{prefix}{name}/"))
        else:
            out[prefix + name] = _decode(item[()])
    return out


class Task:
    """One task of a run: `params` (its parameters and attributes, e.g. seconds), its datasets by
    name (task["samples"], task.datasets)."""

    def __init__(self, name, params, datasets):
        self.name = name
        self.params = params
        self.datasets = datasets

    @property
    def attrs(self):
        return self.params

    def __getitem__(self, name):
        return self.datasets[name]

    def __contains__(self, name):
        return name in self.datasets

    def keys(self):
        return list(self.datasets)

    def __repr__(self):
        return f"<spindiff.Task {self.name}: {len(self.params)} parameters, datasets {list(self.datasets)}>"


class Run:
    """A finished run, read into memory: `summary` (DataFrame, one row per task), `tasks[i]`,
    `attrs` (provenance: kind, seed, version, command line, ...), `config` (the effective configuration
    as a dict), `config_toml` (the same as TOML text, enough to rerun it), `theory` (datasets, or {}) and
    `columns` (what each summary column means and its unit: the datasets' `doc` and `unit` attributes)."""

    def __init__(self, path):
        self.path = os.fspath(path)
        with h5py.File(self.path, "r") as f:
            self.attrs = {k: _decode(v) for k, v in f.attrs.items()}
            if self.attrs.get("schema") != "spindiff/1":
                raise ValueError(f"{self.path}: not a spindiff/1 file (schema={self.attrs.get('schema')!r})")
            self.config_toml = _decode(f["config"][()])
            self.config = tomllib.loads(self.config_toml)
            summary = f["summary"]
            columns = [_decode(c) for c in summary.attrs["columns"]] if "columns" in summary.attrs else list(summary)
            self.summary = pd.DataFrame({c: _decode(summary[c][()]) for c in columns})
            self.columns = pd.DataFrame(
                [(c, _decode(summary[c].attrs.get("doc", "")), _decode(summary[c].attrs.get("unit", "")))
                 for c in columns], columns=["column", "meaning", "unit"])
            tasks = f["tasks"] if "tasks" in f else {}
            self.tasks = [Task(name, {k: _decode(v) for k, v in tasks[name].attrs.items()}, _datasets(tasks[name]))
                          for name in sorted(tasks)]
            self.theory = _datasets(f["theory"]) if "theory" in f else {}
            if "theory" in f:
                self.theory.update({k: _decode(v) for k, v in f["theory"].attrs.items()})

    @property
    def kind(self):
        return self.attrs.get("kind")

    def __repr__(self):
        return (f"<spindiff.Run {self.kind} from {self.path}: {len(self.tasks)} task(s), "
                f"summary columns {list(self.summary.columns)}>")


def load(path):
    """Reads any spindiff result file (spindiff run, spindiff.run) into a Run."""
    return Run(path)
