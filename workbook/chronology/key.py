"""The name key kept apart from the integrated chronology: full name -> code, from a .csv/.txt
file or a workbook (opened as safely as any received file)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from tracker.errors import ScrError
from tracker.excel_dates import parse_date
from tracker.names import canon
from tracker.text import is_blank, words_of
from workbook.chronology.read import ChronologyRejected, open_received
from workbook.xlsx.untrusted import Problem, as_text, formula_text


_KEY_HEADS = {"name", "full name", "names", "code", "codes", "initials", "key", "coded as", "anonymised as", "pseudonym"}


def read_name_key(path, *, password: str | None = None, birth_dates: dict | None = None) -> dict[str, str]:
    """The key kept apart from the integrated chronology: full name -> code, from the first two
    columns of a .csv/.txt file or of the first sheet of a workbook (an optional header row such
    as Name, Code is skipped). A third column may give a date of birth (the child's): then
    ``birth_dates`` gets code -> date. Every problem is reported at once (ChronologyRejected)."""
    path = Path(path)
    problems: list[Problem] = []
    rows: list[tuple[int, object, object]] = []
    births: dict[int, object] = {}  # row -> the third column, where there is one
    sheet = None
    if path.suffix.lower() in (".csv", ".txt"):
        if not path.is_file():
            raise ChronologyRejected([Problem(path.name, None, None, None, "the name key file does not exist.",
                                              "Check the folder and the file name.")])
        raw = path.read_bytes()
        if len(raw) > 1024 * 1024:
            raise ChronologyRejected([Problem(path.name, None, None, None, "the name key file is over 1 MB.",
                                              "Give a two-column file: full name, code.")])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        dialect = csv.excel_tab if "\t" in text.split("\n", 1)[0] and "," not in text.split("\n", 1)[0] else csv.excel
        lines = list(csv.reader(io.StringIO(text), dialect))
        rows = [(i, *(list(r) + [None, None])[:2]) for i, r in enumerate(lines, 1)]
        births = {i: r[2] for i, r in enumerate(lines, 1) if len(r) > 2 and r[2].strip()}
    else:
        wb, problems = open_received(path, password)
        if wb is None:
            raise ChronologyRejected(problems)
        ws = next((w for w in wb.worksheets if w.sheet_state == "visible"), wb.worksheets[0])
        sheet = ws.title
        for r in sorted({r for (r, c), cell in ws._cells.items() if c <= 2 and not is_blank(cell.value)}):
            a, b = ws.cell(r, 1), ws.cell(r, 2)
            if formula_text(a) is not None or formula_text(b) is not None:
                problems.append(Problem(path.name, sheet, r, None, "the key holds a formula.",
                                        "Type the names and codes as text."))
                continue
            rows.append((r, a.value, b.value))
            if not is_blank(ws.cell(r, 3).value):
                births[r] = ws.cell(r, 3).value
    key: dict[str, str] = {}
    first = True
    for r, name, code in sorted(rows, key=lambda x: x[0]):
        if is_blank(name) and is_blank(code):
            continue
        if first and words_of(name or "") in _KEY_HEADS and words_of(code or "") in _KEY_HEADS:
            first = False
            continue
        first = False
        n, c = " ".join(as_text(name).split()), " ".join(as_text(code).split())
        if not n or not c:
            problems.append(Problem(path.name, sheet, r, "A" if not n else "B",
                                    "the name key line has a code but no name." if not n else
                                    "the name key line has a name but no code.",
                                    "Give the full name in the first column and its code in the second."))
            continue
        if len(n) < 2:
            problems.append(Problem(path.name, sheet, r, "A", "a one-letter name would replace that letter everywhere.",
                                    "Give full names in the key."))
            continue
        # the same name however typed (JİLL BROWN, Jill Brown) must not get two codes
        other = next((v for kk, v in key.items() if canon(kk) == canon(n)), None)
        if other is not None and other != c:
            problems.append(Problem(path.name, sheet, r, "B", f"this name already has the code '{other}'.",
                                    "Give each name one code."))
            continue
        key[n] = c
        if r in births and birth_dates is not None:
            try:
                day = parse_date(births[r], what="the date of birth")
            except ScrError as e:
                problems.append(Problem(path.name, sheet, r, "C", e.message, "Give the date of birth as dd/mm/yyyy."))
                continue
            if day is not None:
                birth_dates[c] = day
    if not key and not problems:
        problems.append(Problem(path.name, sheet, None, None, "the name key has no names in it.",
                                "Give one line per person: full name, code."))
    if problems:
        raise ChronologyRejected(problems)
    return key
