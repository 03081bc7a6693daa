"""Small loader for spindiff HDF5 files (schema spindiff/1), shared by every plot.py.

    from spindiff_results import load
    run = load("results/hopfield_capacity.h5")
    run.summary["overlap"]          # numpy array, one row per task
    run.tasks[0].attrs["alpha"]     # the task's parameters
    run.tasks[0]["energies"]        # a raw dataset, as numpy
"""
import os
import sys

import h5py
import numpy as np


def _decode(v):
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, np.ndarray) and v.dtype.kind in "SO":
        return np.array([x.decode() if isinstance(x, bytes) else x for x in v.ravel()]).reshape(v.shape)
    return v


class Task:
    def __init__(self, group):
        self.name = group.name
        self.attrs = {k: _decode(v) for k, v in group.attrs.items()}
        self._group = group

    def __getitem__(self, path):
        return _decode(self._group[path][()])

    def __contains__(self, path):
        return path in self._group

    def keys(self):
        return list(self._group.keys())

    def group(self, path):
        return self._group[path]


class Run:
    def __init__(self, path):
        self.path = path
        self.file = h5py.File(path, "r")
        f = self.file
        self.attrs = {k: _decode(v) for k, v in f.attrs.items()}
        if self.attrs.get("schema") != "spindiff/1":
            raise ValueError(f"{path}: not a spindiff/1 file (schema={self.attrs.get('schema')!r})")
        self.config = _decode(f["config"][()])
        self.summary = {k: _decode(f["summary"][k][()]) for k in f["summary"].keys()}
        self.tasks = [Task(f["tasks"][k]) for k in sorted(f["tasks"].keys())] if "tasks" in f else []
        self.theory = Task(f["theory"]) if "theory" in f else None

    def column(self, name):
        return self.summary[name]

    def figure_path(self, suffix):
        """PNG path next to the HDF5 file: results/run.h5 -> results/run_<suffix>.png"""
        stem, _ = os.path.splitext(self.path)
        return f"{stem}_{suffix}.png"


def load(path):
    return Run(path)


def main_path():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} FILE.h5")
    return sys.argv[1]
