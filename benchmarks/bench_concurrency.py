"""Benchmark: one case, two writers at the same moment, a hundred times over (issue 13, finding 2).

    uv run python benchmarks/bench_concurrency.py [--pairs 100]

For each trial a fresh copy of the demo case gets two real `scr` processes started together:
either two imports of different agencies' returns, or an import against a refresh. A trial is
*lost* when either process exits non-zero, or when the case afterwards lacks an applied return's
rows in Updates or either command's Audit line: the failure the case lock (the case session's
WriterLock, held from read to replace) exists to prevent. Prints the trial counts, the losses and
how long a pair took (the second writer waits for the first, so a pair takes about two commands).
A script, not a test: tests/workbook/case/test_one_writer.py runs a few pairs in CI.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from agency_return import fill, sheet_for  # noqa: E402
from workbook.case import layout as L  # noqa: E402
from workbook.commands.demo import run_demo  # noqa: E402
from workbook.commands.issue_updates import issue_updates  # noqa: E402

TODAY = dt.date(2026, 11, 27)
AT = (TODAY + dt.timedelta(days=10)).strftime("%d/%m/%Y")
AGENCIES = ("Police", "Children's Social Care")


def prepare(base: Path) -> tuple[Path, dict[str, Path]]:
    case = run_demo(base / "case", TODAY).path
    sheets = issue_updates(case, base / "out", today=TODAY)
    backs = {}
    for agency in AGENCIES:
        s = sheet_for(sheets, agency)
        backs[agency] = fill(s.path, base / f"{agency[:6]}-return.xlsx", {s.actions[0]: {
            "status": "in progress", "progress": f"Update from {agency}.", "date": dt.datetime(2026, 12, 1)}})
    return case, backs


def start(*args) -> subprocess.Popen:
    env = dict(os.environ, SCR_LOCK_WAIT="300")
    return subprocess.Popen([sys.executable, "-m", "tracker.cli", *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def logged(case: Path) -> tuple[list[str], list[str]]:
    wb = openpyxl.load_workbook(case)
    ws = wb[L.UPDATES]
    rows = list(ws[ws.tables[L.UPDATES_TABLE.name].ref])
    head = [c.value for c in rows[0]]
    agencies = sorted(str(dict(zip(head, [c.value for c in r]))["Agency"]) for r in rows[1:] if any(c.value for c in r))
    audit = [str(r[1].value) for r in wb[L.AUDIT].iter_rows(min_row=4) if r[1].value]
    return agencies, audit


def trial(case0: Path, backs: dict[str, Path], work: Path, kind: str) -> bool:
    case = work / case0.name
    work.mkdir()
    shutil.copy2(case0, case)
    refreshes = logged(case)[1].count("refresh")
    if kind == "import+import":
        cmds = [("import", case, backs[a], "--today", AT) for a in AGENCIES]
        want = sorted(AGENCIES)
    else:
        cmds = [("import", case, backs["Police"], "--today", AT), ("refresh", case, "--today", AT)]
        want = ["Police"]
    procs = [start(*c) for c in cmds]
    codes = [p.wait(timeout=600) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    agencies, audit = logged(case)
    ok = codes == [0, 0] and agencies == want
    if kind == "import+import":
        ok = ok and audit.count("import") >= 2
    else:
        ok = ok and audit.count("import") >= 1 and audit.count("refresh") == refreshes + 1
    shutil.rmtree(work)
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=100, help="trials of each kind (default 100)")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        case0, backs = prepare(base)
        for kind in ("import+import", "import+refresh"):
            lost, times = 0, []
            for n in range(args.pairs):
                t0 = time.perf_counter()
                lost += not trial(case0, backs, base / f"{kind}-{n}", kind)
                times.append(time.perf_counter() - t0)
            print(f"{kind}: {args.pairs} pairs started together, {lost} lost; "
                  f"a pair took median {statistics.median(times):.2f} s, max {max(times):.2f} s")


if __name__ == "__main__":
    main()
