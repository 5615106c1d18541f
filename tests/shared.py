"""Small helpers many test files use: a file's SHA-256 (what "changed nothing" means) and the real
`scr` run in its own process, as a board manager runs it."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sha(p) -> str:
    return hashlib.sha256(Path(p).read_bytes()).hexdigest()


def scr_process(*args, cwd: Path = ROOT, env: dict | None = None, timeout: int = 300,
                **kw) -> subprocess.CompletedProcess:
    """`python -m tracker.cli ARGS` in a separate process; ``env`` replaces the environment when given."""
    kw.setdefault("capture_output", True)
    return subprocess.run([sys.executable, "-m", "tracker.cli", *map(str, args)], cwd=cwd, env=env, text=True,
                          timeout=timeout, **kw)


def updates_rows(path, *, with_demo: bool = False) -> list[dict]:
    """The case's Updates entries ({header: value}); without the demo's own entries unless asked."""
    import openpyxl
    from tracker.demo import is_demo_entry
    from workbook.case import layout as L
    ws = openpyxl.load_workbook(path, data_only=True)[L.UPDATES]
    rows = list(ws[ws.tables[L.UPDATES_TABLE.name].ref])
    head = [c.value for c in rows[0]]
    entries = [dict(zip(head, [c.value for c in r])) for r in rows[1:] if any(c.value for c in r)]
    return entries if with_demo else [e for e in entries if not is_demo_entry(e.get("Source"))]
