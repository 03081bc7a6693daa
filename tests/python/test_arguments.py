"""An unknown keyword argument, to any public function, constructor or method, C++ or Python: a ValueError naming
it and the allowed ones, raised before any work is done."""
import inspect

import numpy as np
import pytest

import spindiff
import spindiff.bridge as sb
import spindiff.diffusion as sd
import spindiff.hopfield as hop
import spindiff.langevin as sl
import spindiff.spins as sp

MODULES = (spindiff, sb, sd, hop, sl, sp)


def takes_any_keyword(function):
    try:
        return any(p.kind is p.VAR_KEYWORD for p in inspect.signature(function).parameters.values())
    except (TypeError, ValueError):  # the library's functions have no Python signature
        return False


def public_callables():
    """(name, callable) for every public function of the package and every constructor and method of its classes
    (called unbound: the check comes before the call needs an instance). Functions taking **kwargs check their
    own names (sampler options, configuration overrides; tested with them)."""
    seen = set()
    for module in MODULES:
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, type) and not issubclass(value, BaseException):
                for attr, member in vars(value).items():  # each method under the class that defines it
                    if isinstance(member, staticmethod):
                        member = member.__func__
                    if (attr.startswith("_") and attr not in ("__init__", "__call__")) or not callable(member) \
                            or type(member).__name__ == "wrapper_descriptor" or id(member) in seen:
                        continue
                    seen.add(id(member))
                    yield f"{module.__name__}.{name}.{attr}", member
            elif callable(value) and not isinstance(value, type) and not takes_any_keyword(value):
                if id(value) not in seen:
                    seen.add(id(value))
                    yield f"{module.__name__}.{name}", value


CALLABLES = list(public_callables())


def test_the_check_covers_the_library_and_python_sides():
    names = {name for name, _ in CALLABLES}
    for expected in ("spindiff.hopfield.Network.recall", "spindiff.hopfield.Network.__init__",
                     "spindiff.diffusion.mmd2", "spindiff.diffusion.Score.__call__", "spindiff.spins.Chain.sweep",
                     "spindiff.diffusion.LearnedScore.load", "spindiff.bridge.collapse", "spindiff.load"):
        assert expected in names
    assert len(CALLABLES) > 40


@pytest.mark.parametrize("name, function", CALLABLES, ids=[name for name, _ in CALLABLES])
def test_an_unknown_keyword_is_a_value_error_naming_it(name, function):
    with pytest.raises(ValueError, match="unknown argument 'no_such_argument'; allowed: ") as error:
        function(None, no_such_argument=1)
    assert error.value.key == "no_such_argument"
    assert "no_such_argument" not in error.value.allowed


def test_the_message_lists_the_allowed_names_and_no_work_is_done():
    xi = hop.random_patterns(N=50, P=2, seed=1)
    net = hop.Network(xi)
    with pytest.raises(ValueError) as error:
        net.recall(xi[0], sed=3)
    assert str(error.value) == ("spindiff.hopfield.Network.recall: unknown argument 'sed'; allowed: cue, T, "
                                "max_sweeps, update, seed, stream, record_overlaps")
    assert error.value.allowed == ("cue", "T", "max_sweeps", "update", "seed", "stream", "record_overlaps")
    calls = []

    def score(x, sigma):
        calls.append(sigma)
        return -x

    with pytest.raises(ValueError, match="spindiff.bridge.memorization: unknown argument 'sample'"):
        sb.memorization(score, xi.astype(float), sample=10, dim=50)
    with pytest.raises(ValueError, match=r"spindiff.diffusion.Score.__call__: unknown argument 'sigam'"):
        sd.CallableScore(score, 2)(np.zeros((3, 2)), sigam=1.0)
    assert calls == []
    # Known names still reach the function, and an error of its own comes back as it was.
    assert net.recall(cue=xi[0], seed=3)["converged"]
    with pytest.raises(TypeError, match="incompatible function arguments"):
        net.recall(xi[0], seed="three")
