"""Benchmark: `scr import` of 50 returned update sheets of 20 actions each (goal: under 5 s).

Builds a case with 50 agencies x 20 open actions, issues the 50 sheets, fills every row in as an
agency would (openpyxl), then times one import of all 50 files into a fresh copy of the case,
best of 3, and reports peak memory. Run: uv run python benchmarks/bench_import.py
"""
from __future__ import annotations

import datetime as dt
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbook.update_sheet import layout as AL  # noqa: E402
from workbook.case.create import write_new  # noqa: E402
from tracker.case import CaseData  # noqa: E402
from workbook.commands.import_returns import import_returns  # noqa: E402
from workbook.commands.issue_updates import issue_updates  # noqa: E402

TODAY = dt.date(2026, 11, 27)
AGENCIES, PER_AGENCY = 50, 20


def make_case(folder: Path) -> Path:
    agencies = [{"agency": f"Agency {i:02d}", "involvement": "involved"} for i in range(AGENCIES)]
    actions = [{"action_id": f"{a}.{n}", "rec_no": str(n), "recommendation": f"Recommendation {n}",
                "agency": f"Agency {a:02d}", "action": f"Action {n} for agency {a}: review the procedure and audit it",
                "responsible": "Service manager", "target": dt.date(2027, 3, 31), "agreed": dt.date(2026, 9, 1),
                "status": "in progress"} for a in range(AGENCIES) for n in range(1, PER_AGENCY + 1)]
    path = folder / "case.xlsx"
    write_new(path, CaseData("BENCH-01", "rotherham-2009", dt.date(2026, 1, 5), today=TODAY,
                             agencies=agencies, actions=actions))
    return path


def fill(src: Path, out: Path) -> Path:
    wb = openpyxl.load_workbook(src)
    ws = wb[AL.UPDATES]
    col = {c.key: i + 1 for i, c in enumerate(AL.COLUMNS)}
    for r in range(AL.HEADER_ROW + 1, AL.HEADER_ROW + 1 + PER_AGENCY):
        ws.cell(r, col["status"]).value = "in progress"
        ws.cell(r, col["progress"]).value = "Progress made; audit booked for next month."
        ws.cell(r, col["date"]).value = dt.datetime(2026, 11, 25)
    wb.save(out)
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        case = make_case(tmp)
        sheets = issue_updates(case, tmp / "sheets", today=TODAY)
        returns = [fill(s.path, tmp / f"return-{i:02d}.xlsx") for i, s in enumerate(sheets)]
        print(f"{len(returns)} returns of {PER_AGENCY} actions; case has {AGENCIES * PER_AGENCY} actions")
        times = []
        for k in range(4):  # three timed runs, then one under tracemalloc (which slows Python) for memory
            work = tmp / f"run{k}"
            work.mkdir()
            c = work / case.name
            shutil.copy2(case, c)
            if k == 3:
                tracemalloc.start()
            t0 = time.perf_counter()
            result = import_returns(c, returns, today=TODAY + dt.timedelta(days=3))
            if k < 3:
                times.append(time.perf_counter() - t0)
            else:
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            assert result.exit_code == 0 and all(f.state == "applied" for f in result.files), result
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"import of {len(returns)} files: best {min(times):.2f} s, worst {max(times):.2f} s (goal < 5 s)")
        print(f"peak traced memory {peak / 2**20:.0f} MiB; process max RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
