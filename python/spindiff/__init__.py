"""spindiff from Python: the experiment runner (results as pandas DataFrames) and the physics objects.

    import spindiff
    spindiff.kinds()                                    # experiment kinds (a DataFrame)
    spindiff.describe("hopfield.capacity")              # its parameters and result columns (DataFrames)
    run = spindiff.run("experiments/hopfield_capacity/config.toml", N=500, sweep={"alpha": [0.05, 0.1]})
    run.summary                                         # /summary as a DataFrame
    spindiff.load("results/hopfield_capacity.h5")       # the same object for any result file

The physics lives in the submodules spindiff.hopfield, spindiff.spins, spindiff.langevin,
spindiff.diffusion and spindiff.bridge. Everything runs in the C++ library (spindiff._core); long calls release the GIL.
"""
import sys as _sys

from . import _core
from ._core import ConfigError
from ._runs import Run, Task, describe, kinds, load, run
from . import bridge, diffusion, hopfield, langevin, spins
from . import _arguments
from ._arguments import ArgumentError

__version__ = _core.__version__

# An unknown keyword or a value of the wrong type, anywhere in the package: an ArgumentError naming the argument.
_arguments.install(_sys.modules[__name__], (bridge, diffusion, hopfield, langevin, spins))

__all__ = ["bridge", "diffusion", "hopfield", "langevin", "spins", "ArgumentError", "ConfigError", "Run", "Task", "describe", "kinds", "load", "run", "__version__"]
