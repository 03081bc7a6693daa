"""Which argument of a call into the C++ library has a value of the wrong type.

pybind11 reports a value it cannot convert as a TypeError that lists the signatures and names no argument. Its
signatures (the first lines of the docstring) give each parameter's name and the type pybind11 converts to; this
binds the call's arguments to them and names the first one whose value cannot be that type.
"""
import collections.abc
import re

import numpy as np

from . import _core

_SIGNATURE = re.compile(r"^(?:\d+\. )?[\w.]*\((.*)\) ->")


def _split(text):
    """Splits a parameter list at the commas outside brackets and quotes."""
    parts, depth, quote, start = [], 0, None, 0
    for i, c in enumerate(text):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "[(<{":
            depth += 1
        elif c in "])>}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:].strip())
    return parts


def overloads(function):
    """[[(name, type, has_default), ...] per overload] from a library function's docstring."""
    found = []
    for line in (getattr(function, "__doc__", None) or "").splitlines():
        match = _SIGNATURE.match(line)
        if not match:
            continue
        params = []
        for part in _split(match.group(1)):
            name, _, rest = part.partition(":")
            type_name, _, default = rest.partition("=")
            params.append((name.strip(), type_name.strip(), bool(default.strip())))
        found.append(params)
    return found


def _library_class(dotted):
    obj = _core
    for part in dotted.split(".")[2:]:  # spindiff._core.<module>.<Class>
        obj = getattr(obj, part, None)
    return obj if isinstance(obj, type) else None


def fits(type_name, value):
    """Whether pybind11 can convert `value` to the C++ type it prints as `type_name` (True when unsure)."""
    if type_name.startswith("Optional[") and type_name.endswith("]"):
        return value is None or fits(type_name[9:-1], value)
    if type_name.startswith("List[") and type_name.endswith("]"):
        return (isinstance(value, (collections.abc.Sequence, np.ndarray)) and not isinstance(value, (str, bytes))
                and all(fits(type_name[5:-1], v) for v in value))
    if type_name == "float":
        return not isinstance(value, (str, bytes)) and (hasattr(type(value), "__float__") or
                                                        hasattr(type(value), "__index__"))
    if type_name == "int":
        return not isinstance(value, float) and hasattr(type(value), "__index__")
    if type_name == "bool":
        return value is None or hasattr(type(value), "__bool__")
    if type_name == "str":
        return isinstance(value, (str, bytes))
    if type_name == "tuple":
        return isinstance(value, tuple)
    if type_name == "function":
        return callable(value)
    if type_name == "numpy.ndarray":
        return isinstance(value, np.ndarray)
    if type_name.startswith("spindiff._core."):
        cls = _library_class(type_name)
        return cls is None or isinstance(value, cls)
    return True


def readable(type_name):
    if type_name.startswith("Optional["):
        return f"{readable(type_name[9:-1])} or None"
    if type_name.startswith("List["):
        inner = type_name[5:-1]
        return "a list of " + {"float": "numbers", "int": "integers", "str": "strings"}.get(inner, readable(inner))
    names = {"float": "a number", "int": "an integer", "bool": "True or False", "str": "a string",
             "tuple": "a tuple", "function": "a callable", "numpy.ndarray": "a NumPy array"}
    if type_name in names:
        return names[type_name]
    return "a " + type_name.replace("spindiff._core.", "spindiff.")


def misfit(function, args, kwargs):
    """(parameter, type, value) of the first argument that does not fit the signature of `function` (the first
    signature, when there are several and none fits), or None when the failure is something else (then pybind11's
    own message stands)."""
    found = None
    for params in overloads(function):
        if len(args) > len(params):
            continue
        values = dict(zip((p[0] for p in params), args))
        values.update(kwargs)
        bad = next(((name, type_name, values[name]) for name, type_name, _ in params
                    if name in values and not fits(type_name, values[name])), None)
        if bad is None:
            return None  # this overload takes these values: the failure is not one argument's type
        found = found or bad
    return found
