"""Arguments checked at the package's edge, for every public function, constructor and method.

An unknown keyword, or a value the C++ library cannot take as its parameter's type, raises ArgumentError naming
the argument (`.key`, as ConfigError carries it; `.allowed`, the accepted names, for an unknown keyword). Unknown
keywords are refused before any work is done. Without this, the library's functions report both as a TypeError
that lists their signatures and names no argument, and Python functions an unknown keyword as "unexpected keyword
argument". Functions taking **kwargs check their own (sampler options, configuration overrides).
"""
import functools
import inspect
import types

from . import _argument_types, _core


class ArgumentError(ValueError, TypeError):
    """A bad argument to a spindiff function: an unknown keyword, or a value of the wrong type. A ValueError that
    names the argument (`.key`), like every bad parameter; also a TypeError, as Python reports such calls."""

    def __init__(self, message, key, allowed=None):
        super().__init__(message)
        self.key, self.allowed = key, allowed


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
    return ArgumentError(f"{name}: unknown argument '{key}'; allowed: {', '.join(allowed) or 'none by keyword'}",
                         key, tuple(allowed))


def _shown(value):
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def _wrong_type(function, args, kwargs, error, prefix):
    """ArgumentError naming the argument whose value pybind11 could not convert, or None."""
    if not str(error).split(":", 1)[-1].lstrip().startswith("incompatible"):
        return None
    bad = _argument_types.misfit(function, args, kwargs)
    if bad is None:
        return None
    key, type_name, value = bad
    return ArgumentError(f"{prefix(key)} must be {_argument_types.readable(type_name)}; got {_shown(value)}", key)


def checked(function, name):
    """`function` with its keyword names checked; `name` is how messages call it."""
    allowed = _allowed(function)
    if allowed is None or getattr(function, "_spindiff_checked", False):
        return function
    known = frozenset(allowed)

    library = _core._keyword_names(function) is not None

    @functools.wraps(function)
    def call(*args, **kwargs):
        if kwargs and not known.issuperset(kwargs):
            raise unknown_keyword(name, next(key for key in kwargs if key not in known), allowed)
        try:
            return function(*args, **kwargs)
        except TypeError as error:
            if not library or error.__traceback__.tb_next is not None:  # raised further in, not by the binding
                raise
            wrong = _wrong_type(function, args, kwargs, error, lambda key: f"{name}: argument '{key}'")
            if wrong is None:
                raise
            raise wrong from None

    call._spindiff_checked = True
    return call


def _checked_setter(setter, attr):
    """A property's setter (an option of a call, such as a sampler's `steps`) whose wrong-typed value is an
    ArgumentError naming the property."""

    @functools.wraps(setter)
    def set_value(obj, value):
        try:
            setter(obj, value)
        except TypeError as error:
            wrong = _wrong_type(setter, (obj, value), {}, error, lambda key: f"{attr}:")
            if wrong is None:
                raise
            wrong.key = attr
            raise wrong from None

    set_value._spindiff_checked = True
    return set_value


def _check_class(cls, name):
    for attr, value in list(vars(cls).items()):
        if isinstance(value, property) and value.fset is not None and \
                not getattr(value.fset, "_spindiff_checked", False) and _core._keyword_names(value.fset) is not None:
            setattr(cls, attr, property(value.fget, _checked_setter(value.fset, attr), value.fdel, value.__doc__))
            continue
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
    """The package's own names first (messages call a class or function as users reach it), then what the library
    offers beside them: classes that only come back from calls (e.g. the scores that guidance returns) and the
    functions the Python layer passes its arguments on to."""
    _install(package, package.__name__)
    for module in submodules:
        _install(module, module.__name__)
    for module in submodules:
        library = getattr(_core, module.__name__.rsplit(".", 1)[-1], None)
        for attr, value in list(vars(library or types.SimpleNamespace()).items()):
            if attr.startswith("_"):
                continue
            if isinstance(value, type):
                _check_class(value, f"{module.__name__}.{attr}")
            elif isinstance(value, types.BuiltinFunctionType):  # what the Python layer hands its arguments to
                setattr(library, attr, checked(value, f"{module.__name__}.{attr}"))
