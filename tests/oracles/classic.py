"""Classic (Windows, COM) xlwings, run on Linux through xlwings' OWN code.

On Windows, Excel calls a VBA wrapper that hands its arguments to xlwings' COM server:
``XLPython.CallUDF`` (xlwings/com_server.py) -> ``call_udf`` (xlwings/udfs.py) ->
``conversion.read`` with the Windows engine's ``clean_value_data`` (xlwings/_xlwindows.py:
pywintypes dates to ``datetime``, empty to ``None``, error codes) -> the function -> 
``conversion.write`` (dates back to COM times). This module imports exactly those xlwings
modules with the Windows-only modules they import (pythoncom, pywintypes, win32api, win32com,
ctypes.windll...) replaced by inert stand-ins, and loads a second copy of ``tracker.udfs``
decorated by classic xlwings' own ``xlfunc``/``xlarg``/``xlret`` (as on Windows, where
``xlwings.func`` is ``xlwings.udfs.xlfunc``). Only the COM marshalling itself is not real:
arguments are given as COM gives them to Python (a reference as its ``Range.Value``: one cell a
scalar, several cells a tuple of row tuples, a date-formatted cell a pywintypes time, numbers
as float, an empty cell None; an expression's result as its bare value).

The stand-ins are taken out of ``sys.modules`` again after the import, so no other code in the
test process can believe it runs on Windows.
"""
from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import importlib.util
import sys
import types
from pathlib import Path

_WIN_MODULES = ("pywintypes", "win32api", "win32con", "pythoncom", "win32com", "win32com.client",
                "win32com.client.gencache", "win32com.server", "win32com.server.util",
                "win32com.server.dispatcher", "win32com.server.policy", "win32gui", "win32process",
                "win32timezone", "win32event")


class _Inert:
    """Any attribute, any call: the Windows API surface that is touched at import time only."""

    def __init__(self, *a, **k):
        pass

    def __getattr__(self, name):
        return _Inert()

    def __call__(self, *a, **k):
        return _Inert()


class TimeType(dt.datetime):
    """pywintypes.TimeType: COM's date, a datetime subclass (with a time zone in pywin32)."""


class _Utc:
    @staticmethod
    def utc():
        return dt.timezone.utc


class _Module(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Inert()


def _stub_modules() -> dict[str, types.ModuleType]:
    mods = {name: _Module(name) for name in _WIN_MODULES}
    mods["pywintypes"].TimeType = TimeType
    mods["pywintypes"].IID = lambda s: s
    mods["pywintypes"].com_error = type("com_error", (Exception,), {})
    mods["win32timezone"].TimeZoneInfo = _Utc
    client = mods["win32com.client"]
    for cls in ("CDispatch", "CoClassBaseClass", "DispatchBaseClass"):
        setattr(client, cls, type(cls, (), {}))
    mods["pythoncom"].__file__ = "pythoncom311.dll"
    mods["pythoncom"].IID_IDispatch = "{00020400-0000-0000-C000-000000000046}"
    mods["pythoncom"].TypeIIDs = {mods["pythoncom"].IID_IDispatch: type("PyIDispatch", (), {})}

    def unwrap(v):
        raise TypeError("not a wrapped COM object")  # what pywin32 raises for a plain value
    mods["win32com.server.util"].unwrap = unwrap
    mods["win32com"].client = client
    mods["win32com"].server = mods["win32com.server"]
    mods["win32com.server"].util = mods["win32com.server.util"]
    return mods


@contextlib.contextmanager
def _windows_modules():
    saved = {name: sys.modules.get(name) for name in _WIN_MODULES}
    had = {name: hasattr(ctypes, name) for name in ("windll", "oledll")}
    pydll = ctypes.PyDLL
    sys.modules.update(_stub_modules())
    for name in ("windll", "oledll"):
        if not had[name]:
            setattr(ctypes, name, _Inert())
    ctypes.PyDLL = _Inert  # _xlwindows loads pythoncom's DLL at import
    try:
        yield
    finally:
        ctypes.PyDLL = pydll
        for name, mod in saved.items():
            if mod is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = mod
        for name, present in had.items():
            if not present:
                delattr(ctypes, name)


CLASSIC_MODULE = "scr_classic_udfs"
_loaded = {}


def load():
    """(XLPython server object, the classic copy of tracker.udfs), imported once."""
    if _loaded:
        return _loaded["server"], _loaded["module"]
    import xlwings
    with _windows_modules():
        from xlwings import _xlwindows, com_server, udfs as classic
        from xlwings.main import Engine
        import tracker.udfs as served  # the module as the tests import it, for its path
        spec = importlib.util.spec_from_file_location(CLASSIC_MODULE, Path(served.__file__))
        module = importlib.util.module_from_spec(spec)
        decorators = {k: getattr(xlwings, k) for k in ("func", "arg", "ret")}
        xlwings.func, xlwings.arg, xlwings.ret = classic.xlfunc, classic.xlarg, classic.xlret
        try:
            sys.modules[CLASSIC_MODULE] = module
            spec.loader.exec_module(module)
        finally:
            for k, v in decorators.items():
                setattr(xlwings, k, v)
    # conversion.read(None, value, ...) for a UDF's argument uses xlwings.engines["excel"]:
    # the Windows engine, whose clean_value_data turns COM values into Python ones.
    if "excel" not in xlwings.engines.engines_by_name:
        xlwings.engines.engines_by_name["excel"] = Engine(impl=_xlwindows.engine)
    # Registered as xlwings registers a module it cannot reload (filetime None): classic xlwings
    # reloads a UDF module whose file changed, which this copy, loaded from a path, cannot be.
    classic.udf_modules[CLASSIC_MODULE] = {"filename": module.__file__, "filetime": None, "module": module}
    _loaded.update(server=com_server.XLPython(), module=module, xlwindows=_xlwindows)
    return _loaded["server"], module


def com_date(serial: float) -> TimeType:
    """A date-formatted cell's Range.Value as pywin32 gives it."""
    d = dt.datetime(1899, 12, 30) + dt.timedelta(days=serial)
    return TimeType(d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond, tzinfo=dt.timezone.utc)


COM_ERRORS = {"#DIV/0!": -2146826281, "#N/A": -2146826246, "#NAME?": -2146826259, "#NULL!": -2146826288,
              "#NUM!": -2146826252, "#REF!": -2146826265, "#VALUE!": -2146826273}


def call(func_name: str, args: list):
    """Call one worksheet function as the VBA wrapper does: XLPython.CallUDF(module, name, args).
    Returns what Excel gets back (a scalar, a row, or rows), dates as COM times."""
    server, _ = load()
    return server.CallUDF(CLASSIC_MODULE, func_name, tuple(args))


def functions() -> dict[str, dict]:
    """The classic copy's functions and their xlwings metadata (__xlfunc__)."""
    _, module = load()
    return {n: getattr(module, n).__xlfunc__ for n in dir(module) if hasattr(getattr(module, n), "__xlfunc__")}
