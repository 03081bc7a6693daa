"""Keyword arguments checked by name, for every public function and method of the package.

An unknown keyword raises ValueError naming it and the allowed ones (with `.key` and `.allowed`, as
ConfigError carries `.key`), before any work is done. Without this, a function of the C++ library
reports it as a TypeError listing its signatures, and a Python function as "unexpected keyword argument".
Functions taking **kwargs check their own (sampler options, configuration overrides).
"""
import functools
import inspect
import types

from . import _core


def _allowed(function):
    """The keyword names `function` accepts, or None when it accepts any (or cannot say)."""
    names = _core._keyword_names(function)
    if names is not None:
        return names
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_KEYWORD for p in parameters):
        return None
    return [p.name for p in parameters
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self"]


def unknown_keyword(name, key, allowed):
    error = ValueError(f"{name}: unknown argument '{key}'; allowed: {', '.join(allowed) or 'none by keyword'}")
    error.key, error.allowed = key, tuple(allowed)
    return error


def checked(function, name):
    """`function` with its keyword names checked; `name` is how messages call it."""
    allowed = _allowed(function)
    if allowed is None or getattr(function, "_spindiff_checked", False):
        return function
    known = frozenset(allowed)

    @functools.wraps(function)
    def call(*args, **kwargs):
        if kwargs and not known.issuperset(kwargs):
            raise unknown_keyword(name, next(key for key in kwargs if key not in known), allowed)
        return function(*args, **kwargs)

    call._spindiff_checked = True
    return call


def _check_class(cls, name):
    for attr, value in list(vars(cls).items()):
        if attr.startswith("_") and attr not in ("__init__", "__call__"):
            continue
        what = f"{name}()" if attr == "__init__" else f"{name}.{attr}"
        if isinstance(value, staticmethod):
            setattr(cls, attr, staticmethod(checked(value.__func__, what)))
        elif isinstance(value, (types.FunctionType, types.BuiltinFunctionType)) or \
                type(value).__name__ == "instancemethod":
            setattr(cls, attr, checked(value, what))


def _install(module, name):
    """Checks the keywords of the public functions and classes `module` offers (its own or the library's), in
    place; `name` is the module's public name."""
    for attr in getattr(module, "__all__", vars(module)):
        value = getattr(module, attr)
        if attr.startswith("_") or not getattr(value, "__module__", "").startswith("spindiff"):
            continue
        if isinstance(value, type):
            _check_class(value, f"{name}.{attr}")
        elif isinstance(value, (types.FunctionType, types.BuiltinFunctionType)):
            setattr(module, attr, checked(value, f"{name}.{attr}"))


def install(package, submodules):
    """The package's own names first (messages call a class or function as users reach it), then the library's
    classes that only come back from calls (e.g. the scores that guidance returns)."""
    _install(package, package.__name__)
    for module in submodules:
        _install(module, module.__name__)
    for module in submodules:
        library = getattr(_core, module.__name__.rsplit(".", 1)[-1], None)
        for attr, value in vars(library or types.SimpleNamespace()).items():
            if isinstance(value, type) and not attr.startswith("_"):
                _check_class(value, f"{module.__name__}.{attr}")
