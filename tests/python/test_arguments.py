"""A bad argument to any public function, constructor or method, C++ or Python: an unknown keyword is a ValueError
naming it and the allowed ones, raised before any work is done; a value the library cannot take as its parameter's
type is a ValueError naming the parameter. Both are spindiff.ArgumentError, also a TypeError as Python has it."""
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
    with pytest.raises(spindiff.ArgumentError, match="unknown argument 'no_such_argument'; allowed: ") as error:
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
    with pytest.raises(spindiff.ArgumentError, match="spindiff.diffusion.sample: unknown argument 'stepsize'") as error:
        sd.sample(score, np.zeros((3, 2)), stepsize=0.1)  # takes any keyword: checks its own, with the same error
    assert error.value.key == "stepsize" and "step_size" in error.value.allowed
    # Known names still reach the function.
    assert net.recall(cue=xi[0], seed=3)["converged"]


@pytest.mark.parametrize("call, message, key", [
    (lambda net, xi: net.recall(xi[0], T="hot"),
     "spindiff.hopfield.Network.recall: argument 'T' must be a number; got str 'hot'", "T"),
    (lambda net, xi: net.recall(list(xi[0])), "spindiff.hopfield.Network.recall: argument 'cue' must be a NumPy array; "
                                              "got list [1, ", "cue"),
    (lambda net, xi: hop.Network(xi, rule=3), "spindiff.hopfield.Network(): argument 'rule' must be a string; got int 3",
     "rule"),
    (lambda net, xi: sp.Chain(sp.ising(L=4), T=2.0, seed=1.5),
     "spindiff.spins.Chain(): argument 'seed' must be an integer; got float 1.5", "seed"),
    (lambda net, xi: sp.Chain("ising", T=2.0),
     "spindiff.spins.Chain(): argument 'model' must be a spindiff.spins.Model; got str 'ising'", "model"),
    (lambda net, xi: sp.Chain(sp.ising(L=4), T=2.0, tempering=[1.0, "a"]),
     "spindiff.spins.Chain(): argument 'tempering' must be a list of numbers; got list [1.0, 'a']", "tempering"),
    (lambda net, xi: sd.mmd2(np.zeros((3, 2)), np.zeros((3, 2)), "1"),
     "spindiff.diffusion.mmd2: argument 'bandwidth' must be a number; got str '1'", "bandwidth"),
    # through the Python layer: the function it hands the argument to, and the options it sets
    (lambda net, xi: sb.memorization(lambda x, s: -x, np.zeros((4, 2)), samples="many"),
     "spindiff.bridge.memorization: argument 'samples' must be an integer; got str 'many'", "samples"),
    (lambda net, xi: sd.sample(lambda x, s: -x, np.zeros((4, 2)), steps=2.5), "steps: must be an integer; got float 2.5",
     "steps"),
    (lambda net, xi: sl.integrate(sl.Potential("harmonic"), np.zeros((4, 1)), dt="small"),
     "dt: must be a number; got str 'small'", "dt"),
])
def test_a_value_of_the_wrong_type_is_a_value_error_naming_the_parameter(call, message, key):
    xi = hop.random_patterns(N=50, P=2, seed=1)
    with pytest.raises(spindiff.ArgumentError) as error:
        call(hop.Network(xi), xi)
    assert str(error.value).startswith(message)
    assert error.value.key == key
    assert isinstance(error.value, ValueError) and isinstance(error.value, TypeError)


def test_errors_raised_inside_a_call_come_back_as_they_were():
    def score(x, sigma):
        raise TypeError("my own type error")

    with pytest.raises(TypeError, match="^my own type error$"):
        sd.sample(score, np.zeros((4, 2)), steps=2)
    with pytest.raises(TypeError, match="float64") as error:  # the library's own check of the dtype
        sd.mmd2(np.zeros((3, 2)), np.zeros((3, 2), dtype=np.float32))
    assert not isinstance(error.value, spindiff.ArgumentError)
