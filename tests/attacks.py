"""The standing attack corpus for what a command WRITES (issue 13 findings 10-14, 16): a full disk
at every write, a kill -9 at every write, and the world a real board manager's folder holds.
Hostile RETURNED FILES are tests/bad_returns.py's corpus (BUILDERS); this module is for the rest.

Every attack runs the real `scr` in its own process (``python -m tracker.cli``):

* a full disk: ``RLIMIT_FSIZE`` set in the child (SIGXFSZ ignored, so a write past it fails with
  EFBIG as a full disk fails with ENOSPC), swept over limits from 0 bytes to the largest file the
  command writes, so every write in turn is the one that fails; and a real ENOSPC on a tiny tmpfs
  where this machine lets the test mount one;
* kill -9: the child is traced (``strace -f -e inject=...``, Linux) and killed at its N-th
  rename, for N = 1, 2, ... until a run completes: every point where one file becomes another.

``CORPUS`` names each attack; the tests count them (tried, survived) in their summary line.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 11, 20)
TEMP = re.compile(r"\..+\.scr-tmp\Z")


@dataclass
class Run:
    rc: int
    out: str
    err: str
    killed: bool = False
    renames: int = 0  # under scr_killed_at_rename: how many it traced


def scr(args, *, cwd: Path = ROOT, env: dict | None = None, fsize: int | None = None, timeout=300) -> Run:
    """The real command in its own process; ``fsize``: no file it writes may grow past this many bytes."""
    def limit():
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), as on a full disk
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    p = subprocess.run([sys.executable, "-m", "tracker.cli", *map(str, args)], cwd=cwd, capture_output=True,
                       text=True, timeout=timeout, env={**os.environ, **(env or {})}, preexec_fn=limit)
    return Run(p.returncode, p.stdout, p.stderr)


def scr_killed_at_rename(args, n: int | None, *, cwd: Path = ROOT, env: dict | None = None, timeout=300) -> Run:
    """The real command, killed with SIGKILL as it makes its ``n``-th rename (before the rename
    happens): strace's fault injection, so the point is exact and no timing is involved. ``n``
    None: traced only, to count its renames."""
    inject = [] if n is None else ["-e", f"inject=rename,renameat,renameat2:signal=SIGKILL:when={n}"]
    p = subprocess.run(["strace", "-f", "-qq", "-e", "trace=rename,renameat,renameat2", *inject,
                        sys.executable, "-m", "tracker.cli", *map(str, args)],
                       cwd=cwd, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})
    killed = p.returncode in (-9, 128 + 9, 137) or "+++ killed by SIGKILL" in p.stderr
    traced = [line for line in p.stderr.splitlines() if re.match(r"(\[pid +\d+\] )?rename", line)]
    err = "\n".join(line for line in p.stderr.splitlines() if line not in traced and "SIGKILL" not in line)
    return Run(p.returncode, p.stdout, err, killed=killed, renames=len(traced))


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (relative name -> bytes), lock files excepted (they stay, empty)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(Path(folder).rglob("*"))
            if p.is_file() and not p.name.endswith(".scr-lock")}


def temps(folder: Path) -> list[str]:
    return [str(p.relative_to(folder)) for p in Path(folder).rglob("*") if TEMP.match(p.name)]


def zero_byte(folder: Path) -> list[str]:
    return [str(p.relative_to(folder)) for p in Path(folder).rglob("*")
            if p.is_file() and p.stat().st_size == 0 and not p.name.endswith(".scr-lock")]


def sha256(p: Path) -> str:
    return hashlib.sha256(Path(p).read_bytes()).hexdigest()


def audit_text(case: Path, password: str | None = None) -> str:
    """Every Audit cell of a case as one text (the SHA-256s it records are searched in it)."""
    from workbook.case.read import Reader
    r = Reader(case) if password is None else Reader(case)
    ws = r.wb["Audit"]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def is_complete_xlsx(p: Path) -> bool:
    try:
        with zipfile.ZipFile(p) as z:
            return z.testzip() is None
    except (zipfile.BadZipFile, OSError):
        return False


def tmpfs(folder: Path, size_kb: int) -> bool:
    """A tiny tmpfs mounted at ``folder`` (a real ENOSPC), or False where mounting is not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    if not shutil.which("mount") or os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


def unmount(folder: Path) -> None:
    subprocess.run(["umount", str(folder)], capture_output=True)


# The attacks, by name; the tests parametrize over them and count them.
DISK_FULL_COMMANDS = ("new", "refresh", "chase", "issue-updates", "issue-updates --password", "import", "report",
                      "log", "merge-chronologies", "merge-chronologies --encrypt", "protect", "letter", "extend",
                      "issue-chronologies")
KILLED_COMMANDS = ("refresh", "issue-updates", "issue-updates --password", "import", "report", "report --master",
                   "merge-chronologies --encrypt", "chase", "letter", "issue-chronologies")


PASSWORD = "Case-pw 7!"


@dataclass
class World:
    """A board manager's folder: the demo case, a filled-in return from Police, two chronologies
    (one password-protected)."""
    folder: Path
    case: Path
    ret: Path
    chronologies: list[Path]

    def args(self, command: str) -> tuple[list, dict]:
        """(argv, env) of one attack's command, run in this world."""
        env = {"SCR_CASE_PASSWORD": PASSWORD}
        c, f = self.case, self.folder
        return {
            "new": (["new", f / "New case.xlsx", "--name", "Case N", "--day0", "01/09/2026"], env),
            "refresh": (["refresh", c, "--today", "25/11/2026"], env),
            "chase": (["chase", c, "--today", "25/11/2026"], env),
            "issue-updates": (["issue-updates", c, "--today", "25/11/2026"], env),
            "issue-updates --password": (["issue-updates", c, "--today", "25/11/2026", "--password"], env),
            "import": (["import", c, self.ret], env),
            "report": (["report", c, "--today", "25/11/2026"], env),
            "report --master": (["report", c, "--master", "--today", "25/11/2026"], env),
            "log": (["log", c, "--what", "Overview report sent", "--to", "Ofsted", "--chair-permission",
                     "20/11/2026"], env),
            "merge-chronologies": (["merge-chronologies", f / "Integrated.xlsx", *self.chronologies,
                                    "--no-encrypt"], env),
            "merge-chronologies --encrypt": (["merge-chronologies", f / "Integrated.xlsx", *self.chronologies,
                                              "--encrypt"], env),
            "protect": (["protect", c], env),
            "issue-chronologies": (["issue-chronologies", c, "--today", "25/11/2026"], env),
            "letter": (["letter", c, "agency-notification", "--to", "Police", "--on", "25/11/2026"], env),
            "extend": (["extend", c, "progress-check", "--to", "31/03/2027", "--agreed-by", "the Board",
                        "--on", "20/11/2026"], env),
        }[command]


def make_world(folder: Path) -> World:
    sys.path.insert(0, str(ROOT / "tests"))
    from agency_return import fill, sheet_for
    from bad_returns import encrypt
    from chronology_forms import BOLTON_ROWS, POLICE_ROWS, bolton, rotherham
    from workbook.commands.demo import run_demo
    from workbook.commands.issue_updates import issue_updates
    folder = Path(folder)
    case = run_demo(folder, DAY).path
    shutil.rmtree(folder / "chase", ignore_errors=True)
    sent = folder.parent / (folder.name + "-sent")
    sheets = issue_updates(case, sent, "Police", today=DAY)
    police = sheet_for(sheets, "Police")
    ret = fill(police.path, folder.parent / (folder.name + "-police-return.xlsx"), {police.actions[0]: {
        "status": "in progress", "progress": "Two of three teams briefed.", "date": dt.datetime(2026, 11, 21)}})
    shutil.rmtree(sent)
    # the issue of that sheet is in the case: a fresh copy of the case after it is the world
    chron = folder.parent / (folder.name + "-chronologies")
    chron.mkdir(exist_ok=True)
    plain = rotherham(chron / "Police chronology.xlsx", POLICE_ROWS)
    enc = encrypt(bolton(chron / "_csc.xlsx", BOLTON_ROWS), chron / "CSC chronology.xlsx", PASSWORD)
    (chron / "_csc.xlsx").unlink()
    return World(folder, case, ret, [plain, enc])


def copy_world(world: World, folder: Path) -> World:
    """A fresh copy of ``world``'s case folder (the inputs outside it are shared, never written)."""
    shutil.copytree(world.folder, folder)
    return World(folder, folder / world.case.name, world.ret, world.chronologies)
