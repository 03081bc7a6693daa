"""Shared set-up of the experiments' plot.py scripts: headless matplotlib, the run named on the command line, and
figures saved next to its HDF5 file. A plot.py starts with

    import os
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from spindiff_plot import load_run, plt, save  # noqa: E402

and ends each figure with save(fig, run, "suffix"), which writes <run>_<suffix>.png.
"""
import matplotlib

matplotlib.use("Agg")  # before pyplot: no display needed
import matplotlib.pyplot as plt  # noqa: E402

from spindiff_results import load, main_path  # noqa: E402

__all__ = ["load_run", "plt", "save"]


def load_run():
    """The run whose HDF5 file is the single command-line argument (usage message otherwise)."""
    return load(main_path())


def save(fig, run, suffix, dpi=120):
    """Lay out, write <run>_<suffix>.png next to the run's HDF5 file, close the figure and print the path."""
    fig.tight_layout()
    path = run.figure_path(suffix)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    print(path)
    return path
