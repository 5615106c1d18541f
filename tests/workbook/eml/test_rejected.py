"""A rejected return (issue 12): the points that are the agency's go into a draft e-mail to that
agency; the board manager's own (the wrong file, the wrong case) are shown to her and never sent."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import zipfile

import pytest

from agency_return import fill, sheet_for
from tracker.text import same_name
from workbook.case.read import read_case
from workbook.commands.demo import run_demo
from workbook.commands.import_returns import import_returns, outcome_text
from workbook.commands.issue_updates import issue_updates
from workbook.eml.rejected import FOLDER
from shared import sha

TODAY = dt.date(2026, 11, 27)
LATER = TODAY + dt.timedelta(days=10)



@pytest.fixture
def case(tmp_path):
    return run_demo(tmp_path / "case", TODAY).path


def police_return(case, tmp_path, **row):
    police = sheet_for(issue_updates(case, tmp_path / "out", today=TODAY), "Police")
    return fill(police.path, tmp_path / "police-return.xlsx", {police.actions[0]: row})


def test_the_agencys_points_go_to_it_by_email_and_the_board_managers_stay_with_her(case, tmp_path):
    bad = police_return(case, tmp_path, status="sort of done", progress="Teams briefed.",
                        date=dt.datetime(2026, 11, 30))
    word = tmp_path / "minutes.docx"  # another attachment of the same e-mail
    with zipfile.ZipFile(word, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    before = sha(case)
    result = import_returns(case, [bad, word], today=LATER)
    assert result.exit_code == 1 and [f.state for f in result.files] == ["rejected", "rejected"]
    assert sha(case) == before  # nothing applied, the case not rewritten
    police, docx = result.files
    assert police.agency == "Police" and police.draft is not None and docx.draft is None
    assert sorted(p.name for p in (case.parent / FOLDER).iterdir()) == [police.draft.name]

    msg = email.message_from_bytes(police.draft.read_bytes(), policy=email.policy.default)
    row = next(a for a in read_case(case).agencies if same_name(a["agency"]) == "police")
    assert msg["To"] == " ".join(str(row["email"]).split()) and msg["X-Unsent"] == "1"
    name = read_case(case).case_name
    assert msg["Subject"] == f"Case review {name}: please correct and resend your update sheet"
    body = msg.get_content()
    assert body.startswith(f"Dear {row['contact']},") and "police-return.xlsx" in body
    assert "sort of done" in body and "  1. Sheet '" in body and "To fix:" in body
    assert "Word document" not in body and str(tmp_path) not in body  # her own problem, her own folders

    text = outcome_text(result)
    police_part, docx_part = text.split("REJECTED  minutes.docx")
    assert "For Police to put right (an e-mail to them is ready to check and send: " in police_part
    assert "For you to put right" not in police_part
    assert "For you to put right (not the agency):" in docx_part and "Word document" in docx_part
    assert "to put right (an e-mail" not in docx_part and "Send this back" not in text
    assert "0 files applied, 2 rejected." in text


def test_a_sheet_of_another_case_names_both_cases_and_is_hers_to_put_right(case, tmp_path):
    other = run_demo(tmp_path / "other", TODAY).path  # a second case: its own id and key
    bad = police_return(other, tmp_path, status="in progress")
    result = import_returns(case, [bad], today=LATER)
    f = result.files[0]
    assert f.state == "rejected" and f.draft is None and not (case.parent / FOLDER).exists()
    text = outcome_text(result)
    assert "For you to put right (not the agency):" in text and "import it into" in text
    assert "case id" not in text  # a case is named as people know it, not by its hex id
