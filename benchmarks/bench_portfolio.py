"""Benchmark: `scr portfolio` over 200 case workbooks (goal: under 10 s on this machine).

Builds 200 cases (four profiles in turn, 6 agencies and 10 actions each, some converted, extended
and published), then times reading all of them and writing the portfolio, best of 3, and reports
the peak memory (tracemalloc) and the maximum RSS of this process and of a reading process
(workbook.commands.portfolio reads with one process a core from 8 files on). The build is not timed.
Run: uv run python benchmarks/bench_portfolio.py [--cases 200] [--repeats 3]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.case import CaseData  # noqa: E402
from workbook.case.create import write_new  # noqa: E402
from workbook.commands.portfolio import build_portfolio  # noqa: E402

TODAY = dt.date(2026, 11, 27)
PROFILES = ("england-wt2023", "rotherham-2009", "bolton", "durham-icpc")


def case(i: int) -> CaseData:
    profile = PROFILES[i % len(PROFILES)]
    day0 = dt.date(2024, 4, 1) + dt.timedelta(days=(i * 7) % 900)
    c = CaseData(f"BENCH-{i:03d}", profile, day0, today=TODAY,
                 agencies=[{"agency": f"Agency {a}", "involvement": "involved"} for a in range(6)],
                 actions=[{"action_id": f"{n}.1", "rec_no": str(n), "recommendation": f"Recommendation {n}",
                           "agency": f"Agency {n % 6}", "action": "Audit the procedure", "target": dt.date(2027, 3, 31),
                           "status": "in progress", "themes": "Neglect; Information sharing"} for n in range(1, 11)],
                 review={"Themes": "Neglect", "Briefing": f"Briefing {i}"})
    if profile == "england-wt2023" and i % 8 == 0:  # converted, extended, published
        c.actuals = {"notify-panel": day0, "rapid-review": day0 + dt.timedelta(days=14),
                     "lcspr-decision": day0 + dt.timedelta(days=14)}
        c.overrides = {"lcspr-published": day0 + dt.timedelta(days=240)}
        c.review["Published"] = day0 + dt.timedelta(days=240)
    return c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs; {args.cases} cases")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cases"
        folder.mkdir()
        t0 = time.perf_counter()
        for i in range(args.cases):
            write_new(folder / f"case-{i:03d}.xlsx", case(i))
        print(f"built in {time.perf_counter() - t0:.1f} s (not part of the figure)")
        best = None
        for k in range(args.repeats):
            out = Path(tmp) / f"Portfolio-{k}.xlsx"
            t = time.perf_counter()
            p = build_portfolio([folder], out, today=TODAY, year="2026-27")
            took = time.perf_counter() - t
            best = took if best is None else min(best, took)
            print(f"run {k + 1}: {took:.2f} s, {len(p.reviews)} reviews, {len(p.not_read)} not read, "
                  f"{sum(len(r.actions) for r in p.reviews)} actions")
        tracemalloc.start()
        build_portfolio([folder], Path(tmp) / "Portfolio-mem.xlsx", today=TODAY, year="2026-27")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the reading processes
    print(f"best of {args.repeats}: {best:.2f} s (goal under 10 s: {'met' if best < 10 else 'NOT met'}); "
          f"tracemalloc peak {peak / 2**20:.0f} MiB (this process); max RSS {rss:.0f} MiB, "
          f"of a reading process {child:.0f} MiB")


if __name__ == "__main__":
    main()
