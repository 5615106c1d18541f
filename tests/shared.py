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
