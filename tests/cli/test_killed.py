"""kill -9 at every rename of every command that writes (issue 13 findings 11, 12), in real processes.

Each command of ``attacks.KILLED_COMMANDS`` is killed with SIGKILL at its 1st rename, then (on a
fresh copy of the world) its 2nd, and so on until a run finishes: every point where one file
becomes another. After each kill:

* the case is a whole workbook that reads;
* nothing is sendable that the case does not record: every update sheet, letter, chronology form and progress report on
  disk has its SHA-256 in the Audit (finding 12);
* no plaintext copy of a protected output is anywhere in the folder, temp files included (finding 11);
* the same command, run again with nothing in its way, succeeds and leaves no temp file behind
  (finding 12: crash leftovers are cleaned), and everything the Audit says was issued is on disk.
"""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

import attacks as A

TALLY = {"tried": 0, "survived": 0}
ISSUED = re.compile(r"^update sheet issued to .*\n.*\n([0-9a-f]{64})$|(?:letter|form) SHA-256 ([0-9a-f]{64})", re.M)


def recorded(audit: str) -> set[str]:
    """The SHA-256 of every update sheet, letter and chronology form the Audit records as made."""
    return {a or b for a, b in ISSUED.findall(audit)}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return A.make_world(tmp_path_factory.mktemp("killed") / "world")


def _outputs(folder) -> dict[str, bytes]:
    """What a run sends or tables: update sheets, letters, progress reports, the integrated chronology."""
    return {k: v for k, v in A.files_under(folder).items()
            if not A.TEMP.match(k.rsplit("/", 1)[-1]) and not k.startswith("backups/")
            and (k.startswith(("update-sheets/", "letters/", "chronology-forms/")) or "progress report" in k
                 or "master action record" in k or k.startswith("Integrated"))}


def _check_after_kill(w: A.World, command: str, run: A.Run) -> None:
    assert "Traceback" not in run.err, run.err
    assert A.is_complete_xlsx(w.case), f"{command}: the case is not a whole workbook after the kill"
    audit = A.audit_text(w.case)
    for name, data in _outputs(w.folder).items():
        if not name.startswith("Integrated"):
            assert A.hashlib.sha256(data).hexdigest() in audit, f"{command}: {name} is on disk but not in the Audit"
    if command.endswith(("--password", "--encrypt")):
        for name, data in A.files_under(w.folder).items():
            if name.startswith(("update-sheets/", "Integrated", ".Integrated")):
                assert not data.startswith(b"PK\x03\x04"), f"{command}: {name} is a plaintext copy"


def _check_after_rerun(w: A.World, command: str, run: A.Run, before: set) -> None:
    assert run.rc == 0, f"{command} again after the kill: {run.err}"
    assert A.temps(w.folder) == [], f"{command}: temp files left after the next run"
    on_disk = {A.hashlib.sha256(d).hexdigest() for d in _outputs(w.folder).values()}
    audit = A.audit_text(w.case)
    missing = recorded(audit) - before - on_disk
    assert not missing, f"{command}: the Audit records {len(missing)} sheet(s) or letter(s) that are not on disk"


def _renames(w: A.World, command: str) -> int:
    """How many renames the command makes, counted on a traced run of it that is not killed."""
    args, env = w.args(command)
    run = A.scr_killed_at_rename(args, None, env=env)
    assert run.rc == 0 and not run.killed, run.err
    return run.renames


def _attack(world: A.World, command: str, n: int, folder) -> None:
    w = A.copy_world(world, folder)
    args, env = w.args(command)
    before = recorded(A.audit_text(w.case))  # issued in the world, sent long ago
    run = A.scr_killed_at_rename(args, n, env=env)
    assert run.killed, f"{command} was not killed at rename {n}: the fault injection did not happen"
    _check_after_kill(w, command, run)
    _check_after_rerun(w, command, A.scr(args, env=env), before)


@pytest.mark.parametrize("command", A.KILLED_COMMANDS)
def test_killed_at_every_rename_loses_nothing_and_leaves_nothing(world, command, tmp_path):
    total = _renames(A.copy_world(world, tmp_path / "count"), command)
    # the first three renames and the last: the backup, the case, the first file put in place, the
    # last file (the ones between are the same step again; KILL_EVERY=1 tries each of them too)
    points = range(1, total + 1) if A.os.environ.get("KILL_EVERY") else sorted({1, 2, 3, total} & set(range(1, total + 1)))
    with ThreadPoolExecutor(2) as pool:  # each attack is its own process on its own copy
        for f in [pool.submit(_attack, world, command, n, tmp_path / f"at-{n}") for n in points]:
            f.result()
    TALLY["tried"] += len(points)
    TALLY["survived"] += len(points)
    print(f"\nkill -9 attacks: {TALLY['tried']} tried so far, {TALLY['survived']} survived ({command}: "
          f"{len(points)} of its {total} renames)")
