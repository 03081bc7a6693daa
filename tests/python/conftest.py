"""Shared fixtures: the CLI of the same build (SPINDIFF_CLI, set by CTest) and small configurations."""
import os
import subprocess

import pytest

SOURCE_DIR = os.environ.get("SPINDIFF_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("SPINDIFF_CLI")
    if not path or not os.path.exists(path):
        pytest.skip("SPINDIFF_CLI (the spindiff program of this build) is not set; run through ctest")

    def run(*args):
        return subprocess.run([path, *args], capture_output=True, text=True)

    run.path = path
    return run


@pytest.fixture
def capacity_toml(tmp_path):
    """A two-task hopfield.capacity run that takes milliseconds."""
    path = tmp_path / "capacity.toml"
    path.write_text('kind = "hopfield.capacity"\nseed = 7\nrepeats = 3\nN = 200\n\n[sweep]\nalpha = [0.05, 0.2]\n')
    return path
