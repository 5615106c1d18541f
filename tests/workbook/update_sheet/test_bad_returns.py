"""Every bad return in the corpus (tests/bad_returns.py) is refused, and the refusal names the right
place (row, column letter and header) and the right problem, in words an agency can act on."""
from __future__ import annotations

import pytest

import bad_returns as B
from workbook.update_sheet.read import Problem, ReturnRejected, read_return

R1, R2, R3 = B.R1, B.R2, B.R3  # rows 8, 9, 10: actions 1.1, 1.2, 2.1

# name -> (row, column letter, [words every matching problem must contain]); None = anything
EXPECT = {
    # the file itself
    "missing file": (None, None, ["does not exist"]),
    "empty file": (None, None, ["empty", "0 bytes"]),
    "too big": (None, None, ["MB", "not opened"]),
    "random bytes": (None, None, ["not an Excel workbook"]),
    "csv file": (None, None, ["CSV/text file", "return the Excel update sheet you were sent"]),
    "plain text": (None, None, ["CSV/text file"]),
    "utf-16 text": (None, None, ["CSV/text file"]),
    "web page": (None, None, ["web page"]),
    "truncated zip": (None, None, ["damaged", "re-send"]),
    "zip bomb (ratio)": (None, None, ["grow to", "times its size", "not opened"]),
    "zip bomb (total size)": (None, None, ["expand to", "not opened"]),
    "zip bomb (lying sizes)": (None, None, ["damaged"]),
    "too many zip members": (None, None, ["parts", "not opened"]),
    "word document": (None, None, ["Word document"]),
    "encrypted, no password": (None, None, ["password-protected", "--password"]),
    "encrypted, wrong password": (None, None, ["wrong password"]),
    "old .xls": (None, None, [".xls", "97-2003", "Save As"]),
    "external link part": (None, None, ["external links", "Break Link"]),
    "VBA project (.xlsm)": (None, None, ["VBA macro project", "Save As", "without macros", "send it again"]),
    "VBA project named .xlsx": (None, None, ["VBA macro project", "without macros"]),
    "macro-enabled content type": (None, None, ["macro-enabled", "Excel Workbook (.xlsx)"]),
    "Excel 4.0 macro sheet": (None, None, ["Excel 4.0 macro", "delete the macro sheets"]),
    "refresh-on-open web query": (None, None, ["1 data connection or web query", "Queries & Connections"]),
    "query table": (None, None, ["web query", "refresh from elsewhere"]),
    "embedded OLE object": (None, None, ["1 embedded object", "without macros, links or embedded"]),
    "embedded package": (None, None, ["embedded object", "send any document separately"]),
    "two parts of the same name": (None, None, ["holds one of its parts twice", "save"]),
    "ActiveX control": (None, None, ["ActiveX control", "delete the embedded object"]),
    "not a tracker sheet": (None, None, ["not an update sheet issued by the tracker"]),
    # the record
    "wrong case": (None, None, ["issued from another case workbook", "Child R", "need do nothing"]),
    "agency not in case": (None, None, ["Fire and Rescue", "not an agency of this case"]),
    "tampered record": (None, None, ["hidden record was changed or it was not issued by this Board"]),
    "tampered record (action list)": (None, None, ["hidden record was changed"]),
    "record signed with another key": (None, None, ["not issued by this Board"]),
    "old template version": (None, None, ["older template (version 0)", "ask the Board for a new update sheet"]),
    "newer template version": (None, None, ["newer version of the tracker"]),
    "unknown action in record": (None, None, ["action 9.9", "not in this case's action plan"]),
    # the table
    "header renamed": (7, "I", ["'Progress'", "should be 'Progress since last update'"]),
    "column removed": (7, "C", ["'Recommendation'", "removed"]),
    "row inserted above the table": (None, None, ["1 row was inserted above the table (row 3)", "header is in row 8", "delete"]),
    "two rows inserted above the header": (None, None, ["2 rows were inserted above the table",
                                                         "between rows 5 and 9", "header is in row 9", "delete"]),
    "row deleted above the table": (None, None, ["1 row above the table was deleted", "header is in row 6"]),
    "rows added": (R3 + 1, "A", ["added", "1.3", "rows must not be added"]),
    "rows deleted": (R2, None, ["action 1.2", "deleted"]),
    "rows reordered": (R1, "A", ["holds action 1.2", "action 1.1 was issued in this row", "sorted or moved"]),
    "duplicated action row": (R3 + 1, "A", ["repeats action 1.1", f"row {R1}"]),
    "tampered locked cell": (R1, "F", [f"row {R1}, column 'Target date' was changed from 01/03/2027 to 01/04/2027",
                                       "locked cells must not change"]),
    "tampered locked text": (R2, "D", ["'Action' was changed from 'Train call handlers on referral thresholds'",
                                       "'Train some call handlers'"]),
    "text outside the table": (R1, "N", ["outside the table"]),
    # the cells
    "text in a date cell": (R1, "K", ["'next week' is not a date", "dd/mm/yyyy"]),
    "31/02/2026": (R1, "K", ["'31/02/2026' is not a real date"]),
    "US-order date 12/31/2026": (R1, "K", ["'12/31/2026' is not a real date", "US-style month/day"]),
    "future date": (R1, "K", ["01/12/2026", "in the future"]),
    "date long before issue": (R1, "K", ["20/09/2025", "before the sheet was issued"]),
    "update date missing with progress": (R1, "K", ["give the date of this update"]),
    "date of update and nothing else": (R2, "K", ["no status, progress or evidence"]),
    "revised target without reason": (R1, "M", ["revised target date was given without a reason"]),
    "reason without revised target": (R1, "L", ["no revised target date"]),
    "revised target before the update": (R1, "L", ["01/09/2026", "before the date of update 20/09/2026"]),
    "unknown status word": (R1, "H", ["'Sort of done' is not one of the allowed words", "complete - awaiting sign-off"]),
    "formula in progress": (R1, "I", ["a formula was entered", "type plain text"]),
    "formula in date": (R1, "K", ["a formula was entered", "=TODAY()"]),
    "DDE payload": (R1, "I", ["a formula was entered", "DDE"]),
    "DDE payload as text": (R1, "I", ["a formula was entered", "DDE"]),
    "@SUM(1+1)*cmd|": (R1, "I", ["spreadsheet command", "begins with '@'"]),
    "+cmd| in evidence": (R1, "J", ["spreadsheet command", "begins with '+'"]),
    "-2+3+cmd|": (R3, "I", ["spreadsheet command", "begins with '-'"]),
    "enormous cell": (R1, "I", ["40,000 characters", "at most 5,000"]),
    "nothing filled in": (None, None, ["nothing was filled in"]),
}

HEADERS = {c: h for c, h in zip("ABCDEFGHIJKLM", (col.header for col in B.AL.COLUMNS))}


def test_every_corpus_file_has_an_expectation():
    assert set(EXPECT) == set(B.BUILDERS)
    assert len(EXPECT) >= 30


@pytest.fixture(scope="module")
def case():
    return B.make_case()


def _matches(p: Problem, row, column, words) -> bool:
    text = str(p)
    return ((row is None or p.row == row) and (column is None or p.column == column)
            and all(w.casefold() in text.casefold() for w in words))


@pytest.mark.parametrize("name", list(EXPECT), ids=list(EXPECT))
def test_bad_return_is_rejected_naming_the_problem(name, case, tmp_path):
    path, kw = B.build(name, tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    data = path.read_bytes() if path.exists() else None
    with pytest.raises(ReturnRejected) as e:
        read_return(path, case, today=B.TODAY, **kw)
    row, column, words = EXPECT[name]
    problems = e.value.problems
    assert problems, name
    hit = [p for p in problems if _matches(p, row, column, words)]
    assert hit, f"{name}: no problem at row {row}, column {column} saying {words}:\n{e.value}"
    p = hit[0]
    # every problem names the file by its name only, and says what to do
    assert all(q.file == path.name for q in problems)
    assert all(q.fix for q in problems)
    # a column is named by its letter AND its header on the Updates sheet
    if p.column in HEADERS and p.sheet == "Updates" and p.row != 7:
        assert p.header == HEADERS[p.column]
        assert f"column {p.column} ({HEADERS[p.column]})" in str(p)
    if p.row is not None:
        assert f"row {p.row}" in str(p)
    # the rejection lists every problem, and nothing was written or changed
    text = str(e.value)
    assert path.name in text and all(str(q) in text for q in problems)
    assert sorted(q.name for q in tmp_path.iterdir()) == before
    if data is not None:
        assert path.read_bytes() == data


def test_only_the_one_problem_is_reported_for_a_single_change(case, tmp_path):
    """A single slip gives a single problem, not a cascade (rows after it are still fine)."""
    for name in ("tampered locked cell", "unknown status word", "future date", "rows deleted", "header renamed",
                 "duplicated action row", "enormous cell"):
        folder = tmp_path / name.replace(" ", "-")
        folder.mkdir()
        path, kw = B.build(name, folder)
        with pytest.raises(ReturnRejected) as e:
            read_return(path, case, today=B.TODAY, **kw)
        assert len(e.value.problems) == 1, f"{name}:\n{e.value}"


def test_several_problems_are_all_listed_at_once(case, tmp_path):
    path = B.edited(tmp_path, B.set_cells(H8="Sort of done", K10="31/02/2026", F9=B.dt.datetime(2030, 1, 1),
                                          I10="=1+1"))
    with pytest.raises(ReturnRejected) as e:
        read_return(path, case, today=B.TODAY)
    where = sorted((p.row, p.column) for p in e.value.problems)
    assert where == [(B.R1, "H"), (B.R2, "F"), (B.R3, "I"), (B.R3, "K")]
    assert "4 problems" in str(e.value)


@pytest.fixture(scope="module")
def case_file(tmp_path_factory):
    """A real case workbook holding the same case (id, signing key, actions) as the corpus."""
    from workbook.case.create import write_new
    path = tmp_path_factory.mktemp("case") / "Case.xlsx"
    write_new(path, B.make_case())
    return path


@pytest.mark.parametrize("name", list(EXPECT), ids=list(EXPECT))
def test_scr_import_of_a_bad_return_leaves_the_case_byte_identical(name, case_file, tmp_path):
    import hashlib

    from workbook.commands.import_returns import import_returns
    path, kw = B.build(name, tmp_path)
    before = hashlib.sha256(case_file.read_bytes()).hexdigest()
    result = import_returns(case_file, [path], today=B.TODAY, **kw)
    assert result.exit_code == 1 and [f.state for f in result.files] == ["rejected"], name
    assert result.files[0].problems
    assert hashlib.sha256(case_file.read_bytes()).hexdigest() == before
    assert not (case_file.parent / "returns").exists() and not (case_file.parent / "backups").exists()


def test_a_huge_merged_range_is_refused_before_openpyxl_parses_it(case, tmp_path):
    """One `A1:XFD1048576` merge in a tiny file would make openpyxl build 17 billion cell objects."""
    path = B.good(tmp_path)
    B.replace_text(path, "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')
    with pytest.raises(ReturnRejected) as e:
        read_return(path, case, today=B.TODAY)
    import re
    merged = int(re.search(r"merges ([\d,]+) cells", str(e.value)).group(1).replace(",", ""))
    assert merged >= 17_179_869_184  # at least the one huge range (more if it was planted in every sheet)
