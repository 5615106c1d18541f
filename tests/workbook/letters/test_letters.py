"""`scr letter` (issue 11 item 1): letters and the Terms of Reference from templates, filled from the
case, names only from the name key, recorded in the Audit; the board's own templates; rendered."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from case_edits import TODAY, demo  # noqa: F401  (the demo fixture)
from libreoffice import require_soffice
from shared import scr_process, sha
from tracker.case import CaseData
from tracker.errors import ScrError
from tracker.letters import KINDS, PLACEHOLDERS
from workbook.case import layout as L
from workbook.case.create import write_new
from workbook.case.read import read_case
from workbook.commands.letter import make_letter
from workbook.letters.builtin import template_bytes
from workbook.letters.write import write_templates

ON = dt.date(2026, 11, 27)


def text_of(path: Path) -> str:
    d = docx.Document(path)
    body = [p.text for p in d.paragraphs] + [c.text for t in d.tables for row in t.rows for c in row.cells]
    section = d.sections[0]
    return "\n".join(body + [p.text for p in section.header.paragraphs + section.footer.paragraphs])


def audit_last(case: Path) -> list:
    return [c.value for c in list(openpyxl.load_workbook(case)[L.AUDIT].iter_rows())[-1]]


@pytest.fixture
def key(tmp_path) -> Path:
    p = tmp_path / "key.csv"
    p.write_text("Name,Code\nTia Fictional,Child Q\nJo Fictional,Mother M\n", encoding="utf-8")
    return p


def test_every_built_in_template_uses_only_the_placeholders_the_tracker_fills():
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SandboxedEnvironment
    for k in KINDS:
        used = DocxTemplate(io.BytesIO(template_bytes(k))).get_undeclared_template_variables(jinja_env=SandboxedEnvironment())
        assert used <= set(PLACEHOLDERS) | {"m", "a"}, k


def test_the_agency_letter_carries_the_cases_dates_and_is_recorded(demo):  # noqa: F811
    done = make_letter(demo, "agency-notification", "police", on=ON)
    text = text_of(done.path)
    assert done.path.parent == demo.parent / "letters" / ON.isoformat() and done.to == "Police"
    assert "Dear Detective Superintendent, Public Protection," in text
    assert "Serious Case Review: case DEMO-01 (fictional)" in text
    # Rotherham: chronologies in by the end of week 10, reports week 12; Day 0 Friday 24/04/2026
    assert "Your agency's chronology is due by 03/07/2026." in text
    assert "Your agency's management report is due by 17/07/2026." in text
    assert "Please confirm to me by 03/07/2026 whether your agency was involved" in text
    assert "Example Safeguarding Children Partnership" in text and "OFFICIAL-SENSITIVE" in text
    assert "Name of child" not in text  # no key: no name, the case code only
    row = audit_last(demo)
    assert row[1:3] == ["letter", "letter: Letter to the agency: notification and request for information to Police"]
    assert done.path.name in row[3] and sha(done.path) in row[3]


def test_a_request_letter_fills_the_agencies_sheets_letter_date_so_the_due_dates_count_from_it(tmp_path):
    case = tmp_path / "N.xlsx"
    write_new(case, CaseData("N-01", "rotherham-2009", dt.date(2026, 10, 5), today=ON,
                             agencies=[{"agency": "Police", "involvement": "involved"}]))
    assert "LetterReports" not in read_case(case).header_dates
    done = make_letter(case, "agency-notification", "Police", on=ON)
    assert done.request_date == "LetterReports"
    assert read_case(case).header_dates["LetterReports"] == ON
    assert "LetterReports set to 27/11/2026" in audit_last(case)[3]
    text = text_of(done.path)
    assert "chronology is due by" in text and "report is due by" in text
    again = make_letter(case, "agency-notification", "Police", on=ON + dt.timedelta(days=3))
    assert again.request_date == "" and read_case(case).header_dates["LetterReports"] == ON  # never moved
    assert again.path != done.path and done.path.exists()  # the first is kept


def test_names_come_only_from_the_key_and_never_reach_the_audit_or_the_file_name(demo, key):  # noqa: F811
    with pytest.raises(ScrError, match="names are kept only in the case's name key"):
        make_letter(demo, "family", on=ON)
    with pytest.raises(ScrError, match="no key was given"):
        make_letter(demo, "coroner", child="Child Q", on=ON)
    with pytest.raises(ScrError, match="'Father F' \\(--dear\\) is not in the name key"):
        make_letter(demo, "family", key=key, dear="Father F", on=ON)
    done = make_letter(demo, "family", key=key, dear="mother m", child="CHILD Q", on=ON)
    text = text_of(done.path)
    assert "Dear Jo Fictional," in text and "I am writing to you about Tia Fictional." in text
    assert "PRIVATE AND CONFIDENTIAL" in text
    audit = " ".join(str(v) for v in audit_last(demo))
    assert "Fictional" not in audit and "Fictional" not in done.path.name
    coroner = make_letter(demo, "coroner", key=key, child="Child Q", dob="01/02/2020", on=ON)
    assert "Name of child: Tia Fictional" in text_of(coroner.path) and "Date of birth: 01/02/2020" in text_of(coroner.path)


def test_text_from_the_case_stays_text_in_the_letter(tmp_path):
    case = tmp_path / "X.xlsx"
    nasty = 'Police & <w:p/> {{ board }} =HYPERLINK("http://x")'
    write_new(case, CaseData("X & <Y>", "rotherham-2009", dt.date(2026, 10, 5), today=ON,
                             agencies=[{"agency": nasty, "involvement": "involved"}]))
    done = make_letter(case, "terms-of-reference", on=ON)  # it lists the agencies
    text = text_of(done.path)
    assert nasty in text.splitlines() and "case X & <Y>" in text  # as typed, as text
    with zipfile.ZipFile(done.path) as z:
        xml = z.read("word/document.xml").decode()
    assert "&lt;w:p/&gt; {{ board }}" in xml  # escaped, and not filled in again
    assert "<w:hyperlink" not in xml and "<w:fldSimple" not in xml and "<w:instrText" not in xml


def test_the_boards_own_template_is_used_and_a_placeholder_it_does_not_know_is_named(demo, tmp_path):  # noqa: F811
    folder = tmp_path / "templates"
    made = write_templates(folder)
    assert sorted(p.stem for p in made) == sorted(KINDS)
    own = docx.Document()
    own.add_paragraph("Our letterhead. To {{ agency }} about case {{ case }}, by {{ reply_by }}.")
    own.save(folder / "agency-notification.docx")
    done = make_letter(demo, "agency-notification", "Education", templates=folder, on=ON)
    assert "Our letterhead. To Education about case DEMO-01 (fictional), by " in text_of(done.path)
    bad = docx.Document()
    bad.add_paragraph("Dear {{ parent_name }}, about {{ case }}")
    bad.save(folder / "family.docx")
    before = sha(demo)
    with pytest.raises(ScrError) as e:
        make_letter(demo, "family", templates=folder, on=ON)
    assert "{{ parent_name }}" in str(e.value) and "family.docx" in str(e.value) and "addressee" in str(e.value)
    assert sha(demo) == before
    (folder / "ofsted.docx").write_text("not a Word document")
    with pytest.raises(ScrError, match="not a Word document"):
        make_letter(demo, "ofsted", templates=folder, on=ON)


def test_a_protected_cases_letter_is_protected_too(demo, monkeypatch):  # noqa: F811
    from workbook.commands.protect import protect
    monkeypatch.setenv("SCR_CASE_PASSWORD", "Case-pw 7!")
    protect(demo, "Case-pw 7!")
    done = make_letter(demo, "ofsted", on=ON)
    assert done.encrypted and not done.path.read_bytes().startswith(b"PK")


def test_every_letter_renders_on_a4_with_its_marking_and_page_numbers(demo, key, tmp_path):  # noqa: F811
    require_soffice()
    letters = [make_letter(demo, k, "GP Service" if KINDS[k].to == "agency" else None, key=key,
                           dear="Mother M" if k == "family" else None, child="Child Q", on=ON).path for k in KINDS]
    out = tmp_path / "pdf"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([shutil.which("soffice"), f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out), *map(str, letters)],
                       capture_output=True, timeout=300)
    for p in letters:
        pdf = out / (p.stem + ".pdf")
        assert pdf.exists(), f"{p.name} did not render (is LibreOffice Writer installed?)"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        assert 1 <= pages <= (3 if "terms-of-reference" in p.name else 1), (p.name, pages)
        assert "(A4)" in info  # 595 x 842 points
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "OFFICIAL-SENSITIVE" in text and f"page 1 of {pages}" in text and "{{" not in text, p.name


def test_scr_letter_from_the_command_line(demo):  # noqa: F811
    r = scr_process("letter", str(demo), "terms-of-reference", "--on", "27/11/2026")
    assert r.returncode == 0, r.stderr
    assert "Letter:" in r.stdout and "NOT encrypted" in r.stdout
    bad = scr_process("letter", str(demo), "famly")
    assert bad.returncode == 1 and "Did you mean 'family'?" in bad.stderr and "Traceback" not in bad.stderr


def test_the_childs_date_of_birth_comes_from_the_key_when_it_has_one(demo, tmp_path):  # noqa: F811
    key = tmp_path / "key3.csv"
    key.write_text("Name,Code,Date of birth\nTia Fictional,Child Q,01/02/2020\n", encoding="utf-8")
    done = make_letter(demo, "coroner", key=key, child="child q", on=ON)
    assert "Date of birth: 01/02/2020" in text_of(done.path) and "Name of child: Tia Fictional" in text_of(done.path)


def test_out_never_replaces_a_case_workbook_or_a_document_it_did_not_make(demo, tmp_path):  # noqa: F811
    mine = tmp_path / "Ofsted letter.docx"
    first = make_letter(demo, "ofsted", out=mine, on=ON)
    again = make_letter(demo, "ofsted", out=mine, on=ON)  # its own letter: replaced, the old one kept
    assert first.path == again.path == mine and list((tmp_path / "backups").iterdir())
    theirs = tmp_path / "minutes.docx"
    docx.Document().save(theirs)
    before = (sha(demo), sha(theirs))
    with pytest.raises(ScrError, match="not a letter made by scr"):
        make_letter(demo, "ofsted", out=theirs, on=ON)
    with pytest.raises(ScrError, match="must be an .docx file"):
        make_letter(demo, "ofsted", out=demo, on=ON)  # the case workbook typed as --out
    assert (sha(demo), sha(theirs)) == before
