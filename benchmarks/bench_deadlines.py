"""Benchmark: working-day deadlines for whole columns (a script, not a test).

    uv run python benchmarks/bench_deadlines.py [--repeats 9] [--rows 1000000]
                                                [--udf-rows 100000] [--udf-repeats 2]

(a) One column of 1,000,000 deadlines through excelfns.WORKDAY_INTL and
    WorkCalendar.workday_many, against numpy.busday_offset on the same data in the same run
    (goal: at most 1.5x numpy).
(b) The column form of the WORKDAY_UK worksheet function through xlwings' Office.js dispatcher
    (tests/dispatch.py, exactly as Excel calls it) on 100,000 rows, against the dispatcher's own
    cost of passing the same column through an identity worksheet function (goal: at most 2x).
(c) Peak memory: tracemalloc's peak for each of the above, and the process's maximum RSS.

Last, (b) is timed again with xlwings' per-cell `from pyodide.ffi import JsNull` attempt made to
fail at once, which shows what the dispatcher's own cost is made of (see benchmarks/README.md).

Times are the best of --repeats runs. The data are seeded, so runs compare.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import sys
import time
import tracemalloc
import types
from pathlib import Path

# xlwings picks its decorators at first import: the Office.js ones, as tests/conftest.py does.
os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # dispatch.py lives there

import numpy as np  # noqa: E402
import xlwings  # noqa: E402
from xlwings import arg, func  # noqa: E402

import dispatch  # noqa: E402
from tracker import excelfns, udfs  # noqa: E402
from tracker.calendar import WorkCalendar  # noqa: E402
from tracker.excel_dates import from_serial, to_serial  # noqa: E402

SEED = 20250601


# ---- identity worksheet functions: the dispatcher's own cost ---------------------------------

def _identity_module() -> types.ModuleType:
    """A small UDF module: the same arguments as WORKDAY_UK, the start column handed straight back."""
    mod = types.ModuleType("bench_identity_udfs")

    @func
    @arg("start", ndim=2)
    @arg("days", ndim=2)
    def IDENTITY(start, days):
        """The start column as it came (numbers)."""
        return start

    @func
    @arg("start", ndim=2)
    @arg("days", ndim=2)
    def IDENTITY_DATES(start, days):
        """The start column as dates, so the result is converted like WORKDAY_UK's."""
        return [[from_serial(v)] for (v,) in start]

    mod.IDENTITY = IDENTITY
    mod.IDENTITY_DATES = IDENTITY_DATES
    return mod


# ---- helpers ----------------------------------------------------------------------------------

def interleaved_best(fns: dict, repeats: int) -> dict:
    """Best time of each function, running them in turn each round so that a busy moment on the
    machine hits all of them alike rather than one."""
    times = {k: [] for k in fns}
    for _ in range(repeats):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t0)
    return {k: min(v) for k, v in times.items()}


def peak_bytes(fn) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def mib(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB"


def column_data(n: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Start serials 2000-2070 (a quarter of them on weekends) and working-day offsets -250..250."""
    lo, hi = to_serial(dt.date(2000, 1, 1)), to_serial(dt.date(2070, 1, 1))
    starts = rng.integers(lo, hi, n).astype("float64")
    days = rng.choice([0, 1, -1, 5, 10, 20, -20, 28, 60, -60, 100, 250, -250], n).astype("float64")
    return starts, days


# ---- (a) one column of deadlines ----------------------------------------------------------------

def bench_column(rows: int, repeats: int) -> dict:
    rng = np.random.default_rng(SEED)
    cal = WorkCalendar("england-and-wales")
    starts, days = column_data(rows, rng)
    mask, hols = cal.mask, cal.holiday_serials
    busdaycal = cal.busdaycal
    epoch = excelfns.EPOCH64

    def numpy_pipeline():
        # The same float serials in, float serials out, one busday_offset call.
        d = epoch + starts.astype("int64")
        return (np.busday_offset(d, days.astype("int64"), roll="forward", busdaycal=busdaycal) - epoch).astype("float64")

    d64, n64 = epoch + starts.astype("int64"), days.astype("int64")

    def numpy_bare():
        return np.busday_offset(d64, n64, roll="forward", busdaycal=busdaycal)

    def tracker_fn():
        return excelfns.WORKDAY_INTL(starts, days, mask, hols)

    def calendar_fn():
        return cal.workday_many(starts, days)

    positive = np.abs(days) + 1

    def tracker_positive():  # the single-call path (every offset positive)
        return excelfns.WORKDAY_INTL(starts, positive, mask, hols)

    def numpy_positive():
        d = epoch + starts.astype("int64")
        return (np.busday_offset(d, positive.astype("int64"), roll="backward", busdaycal=busdaycal) - epoch).astype("float64")

    # Same answers where numpy's roll agrees with Excel (working-day starts), as a sanity check.
    ours, theirs = calendar_fn(), numpy_pipeline()
    working = np.array([cal.is_working_day(from_serial(s)) for s in starts[:2000]])
    assert (ours[:2000][working] == theirs[:2000][working]).all()

    # Warm up once, then time.
    for fn in (numpy_pipeline, numpy_bare, tracker_fn, calendar_fn, tracker_positive, numpy_positive):
        fn()
    t = interleaved_best({
        "numpy_bare": numpy_bare, "numpy": numpy_pipeline, "tracker": tracker_fn,
        "calendar": calendar_fn, "numpy_pos": numpy_positive, "tracker_pos": tracker_positive,
    }, repeats)
    t["peak_calendar"] = peak_bytes(calendar_fn)
    t["peak_numpy"] = peak_bytes(numpy_pipeline)
    t["input_bytes"] = starts.nbytes + days.nbytes
    return t


# ---- (b) WORKDAY_UK through the dispatcher --------------------------------------------------------

def bench_dispatcher(rows: int, repeats: int) -> dict:
    rng = np.random.default_rng(SEED + 1)
    starts, days = column_data(rows, rng)
    # What Excel sends: 2-D lists, one value per row, dates as serial numbers.
    start_grid = [[float(s)] for s in starts]
    days_grid = [[float(d)] for d in days]
    identity = _identity_module()

    def workday_uk():
        return dispatch.call("WORKDAY_UK", start_grid, days_grid)

    def ident():
        return dispatch.call("IDENTITY", start_grid, days_grid, module=identity)

    def ident_dates():
        return dispatch.call("IDENTITY_DATES", start_grid, days_grid, module=identity)

    def direct():  # the worksheet function alone, handed what the dispatcher hands it
        return udfs.WORKDAY_UK(start_grid, days_grid)

    out = workday_uk()  # warms the calendar cache too
    assert len(out) == rows and out[0][0]["type"] == "FormattedNumber", out[:2]
    assert ident()[0][0] == start_grid[0][0]
    t = interleaved_best({"identity": ident, "identity_dates": ident_dates, "workday_uk": workday_uk,
                          "direct": direct}, repeats)
    t["peak_workday_uk"] = peak_bytes(workday_uk)
    t["peak_identity"] = peak_bytes(ident)
    # What dominates: xlwings 0.37's xlwings.utils.is_jsnull() tries `from pyodide.ffi import
    # JsNull` for every cell read; outside Pyodide each failed import walks sys.path again.
    # Measured last (it changes the process): the same calls with that import failing at once.
    if "pyodide" not in sys.modules and sys.platform != "emscripten":
        sys.modules["pyodide"] = None  # `import pyodide.ffi` now raises ImportError immediately
        try:
            fast = interleaved_best({"identity_fast": ident, "workday_uk_fast": workday_uk}, repeats)
            t.update(fast)
        finally:
            del sys.modules["pyodide"]
    return t


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=9)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--udf-rows", type=int, default=100_000)
    p.add_argument("--udf-repeats", type=int, default=2, help="repeats for (b); each call takes seconds")
    a = p.parse_args(argv)

    print(f"Python {platform.python_version()}, numpy {np.__version__}, xlwings {xlwings.__version__}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; best of {a.repeats} for (a), "
          f"{a.udf_repeats} for (b)")
    col = bench_column(a.rows, a.repeats)
    print(f"\n(a) {a.rows:,} deadlines in one column (England & Wales bank holidays, offsets -250..250)")
    print(f"    {'what':58s} {'seconds':>9s} {'x numpy':>8s}")
    rows = [
        ("numpy.busday_offset alone (datetime64 in and out)", col["numpy_bare"]),
        ("numpy.busday_offset with serial <-> datetime64 (the baseline)", col["numpy"]),
        ("excelfns.WORKDAY_INTL", col["tracker"]),
        ("WorkCalendar.workday_many", col["calendar"]),
        ("numpy, all offsets positive", col["numpy_pos"]),
        ("excelfns.WORKDAY_INTL, all offsets positive", col["tracker_pos"]),
    ]
    for name, secs in rows:
        base = col["numpy_pos"] if "positive" in name else col["numpy"]
        print(f"    {name:58s} {secs:9.3f} {secs / base:7.2f}x")
    ratio_a = col["calendar"] / col["numpy"]
    print(f"    goal <= 1.5x: workday_many is {ratio_a:.2f}x -> {'MET' if ratio_a <= 1.5 else 'MISSED'}")

    udf = bench_dispatcher(a.udf_rows, a.udf_repeats)
    print(f"\n(b) WORKDAY_UK column form through the Office.js dispatcher, {a.udf_rows:,} rows")
    print(f"    {'what':58s} {'seconds':>9s} {'x ident':>8s}")
    for name, secs in [("IDENTITY (start column back, numbers)", udf["identity"]),
                       ("IDENTITY_DATES (start column back, as dates)", udf["identity_dates"]),
                       ("WORKDAY_UK", udf["workday_uk"]),
                       ("udfs.WORKDAY_UK called directly (no dispatcher)", udf["direct"])]:
        print(f"    {name:58s} {secs:9.3f} {secs / udf['identity']:7.2f}x")
    ratio_b = udf["workday_uk"] / udf["identity"]
    print(f"    goal <= 2x: WORKDAY_UK is {ratio_b:.2f}x the identity -> {'MET' if ratio_b <= 2 else 'MISSED'}"
          f" ({udf['workday_uk'] / udf['identity_dates']:.2f}x the date identity)")
    if "identity_fast" in udf:
        print("    with xlwings' per-cell `import pyodide.ffi` failing fast (sys.modules['pyodide'] = None):")
        print(f"    {'IDENTITY':58s} {udf['identity_fast']:9.3f} {udf['identity_fast'] / udf['identity']:7.2f}x")
        print(f"    {'WORKDAY_UK':58s} {udf['workday_uk_fast']:9.3f} {udf['workday_uk_fast'] / udf['identity']:7.2f}x"
              f"   ({udf['workday_uk_fast'] / udf['identity_fast']:.2f}x that identity)")

    print("\n(c) memory")
    print(f"    inputs of (a): {mib(col['input_bytes'])}; tracemalloc peak of workday_many "
          f"{mib(col['peak_calendar'])}, of the numpy baseline {mib(col['peak_numpy'])}")
    print(f"    tracemalloc peak of WORKDAY_UK via the dispatcher ({a.udf_rows:,} rows) "
          f"{mib(udf['peak_workday_uk'])}, of IDENTITY {mib(udf['peak_identity'])}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
    print(f"    process max RSS {mib(rss)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
