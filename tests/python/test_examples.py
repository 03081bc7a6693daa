"""The examples of docs/python.md: the PyTorch one skips cleanly without torch, and the bindings never import it."""
import os
import subprocess
import sys

from conftest import SOURCE_DIR

# Runs a script with `import torch` failing, as on a machine without python3-torch.
WITHOUT_TORCH = """
import runpy, sys
class NoTorch:
    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            raise ImportError("No module named 'torch'")
sys.meta_path.insert(0, NoTorch())
sys.argv = [sys.argv[1]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_the_torch_example_skips_without_torch():
    script = os.path.join(SOURCE_DIR, "python", "examples", "torch_score.py")
    done = subprocess.run([sys.executable, "-c", WITHOUT_TORCH, script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "PyTorch is not installed" in done.stdout and "skipping" in done.stdout


def test_the_bindings_never_import_torch():
    code = "import sys, spindiff, spindiff.diffusion, spindiff.bridge, spindiff.langevin; print('torch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
