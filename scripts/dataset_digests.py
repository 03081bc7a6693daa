#!/usr/bin/python3
"""Prints one SHA-256 line per dataset of spindiff HDF5 files (all groups, or those given with --under).

Two runs are bit-identical when their digest lists are; compare with `diff`:

    scripts/dataset_digests.py results/a.h5 > a.txt
    scripts/dataset_digests.py results/b.h5 > b.txt && diff a.txt b.txt

Attributes (timings, host, versions) are left out: they describe the run, not its numbers.
"""
import argparse
import hashlib
import sys

import h5py
import numpy as np


def digest(dataset):
    data = dataset[()]
    h = hashlib.sha256()
    h.update(str(dataset.dtype).encode())
    h.update(str(dataset.shape).encode())
    if isinstance(data, np.ndarray) and data.dtype.kind in "OS":
        for item in data.ravel():
            h.update(item if isinstance(item, bytes) else str(item).encode())
            h.update(b"\0")
    else:
        h.update(np.ascontiguousarray(data).tobytes())
    return h.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--under", action="append", default=None,
                        help="only datasets below this group (repeatable), e.g. --under /summary --under /tasks")
    args = parser.parse_args()
    for path in args.files:
        with h5py.File(path, "r") as f:
            names = []
            f.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
            for name in sorted(names):
                full = "/" + name
                if args.under and not any(full == u or full.startswith(u.rstrip("/") + "/") for u in args.under):
                    continue
                where = f"{path}:{full}" if len(args.files) > 1 else full
                print(f"{digest(f[name])}  {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
