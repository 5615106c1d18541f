"""Chase e-mails: one ready-to-send .eml per agency, listing everything overdue from it. Nothing is sent."""
from __future__ import annotations

import re
from email.message import EmailMessage
from email.policy import default as _default_policy
from pathlib import Path

from tracker.case import CaseData
from tracker.excel_dates import fmt
from tracker.text import slug

# Headers kept on one line (RFC 5322 allows 998 characters): easier to read and to search.
_ONE_LINE_HEADERS = _default_policy.clone(max_line_length=998)


def addresses(cell: str) -> str:
    """E-mail addresses typed in one cell (on several lines, or with ; or ,) as one To: header."""
    return ", ".join(a for a in re.split(r"[\s,;]+", cell or "") if a)


def write_chase_emails(case: CaseData, items: list[dict], out_dir: Path, sender: str = "") -> list[Path]:
    """One .eml per agency, listing everything overdue from it; nothing is sent.

    The folder holds the latest chase only: our own earlier chase-*.eml files are removed first,
    so nobody sends a chase that is no longer due."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("chase-*.eml"):
        old.unlink()
    by_agency: dict[str, list[dict]] = {}
    for x in items:
        by_agency.setdefault(x["agency"], []).append(x)
    paths = []
    for agency, xs in by_agency.items():
        msg = EmailMessage(policy=_ONE_LINE_HEADERS)
        msg["To"] = addresses(xs[0]["email"])
        if sender:
            msg["From"] = sender
        msg["Subject"] = f"Case review {case.case_name}: overdue from {agency}"
        body = [f"Dear {xs[0]['contact'] or 'colleague'},", "",
                f"For the case review {case.case_name}, our records show the following are overdue from {agency}:", ""]
        body += [f"  - {x['label']}: due {fmt(x['due'])}, now {x['days_late']} day{'s' if x['days_late'] != 1 else ''} late" for x in xs]
        body += ["", "Please send them, or tell us the date you can promise, by return.",
                 "If your agency had no involvement with the family, please confirm a nil return.", "",
                 "Please send documents password-protected with the case password, never by unsecured e-mail.", "",
                 "With thanks,", "Safeguarding Partnership Business Unit"]
        msg.set_content("\n".join(body))
        path, n = out_dir / f"chase-{slug(agency, blank='agency')}.eml", 1
        while path in paths:  # names alike but for punctuation must not overwrite each other
            n += 1
            path = out_dir / f"chase-{slug(agency, blank='agency')}-{n}.eml"
        path.write_bytes(bytes(msg))
        paths.append(path)
    return paths
