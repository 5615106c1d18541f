"""What a chase e-mail says to one agency: only what is still missing, in the board's name.

An agency that promised a date is reminded of its own promise, not asked to promise again; a
return that came without its signed copy is chased for the signed copy alone; the sign-off is
the board's business unit, so a partnership's agencies see who is writing.
"""
from __future__ import annotations

from tracker.excel_dates import fmt
from tracker.text import days, same_name
from tracker.updates import is_unverified


def chase_lines(items: list[dict]) -> list[str]:
    lines = []
    for x in items:
        if x.get("signed_copy"):
            got = f" (received {fmt(x['received'])})" if x.get("received") else ""
            lines.append(f"  - {x['label']}{got}: the signed copy is still outstanding")
        elif x.get("promised"):
            lines.append(f"  - {x['label']}: you promised it for {fmt(x['promised'])}; "
                         f"that date passed {days(x['days_late'])} ago")
        else:
            lines.append(f"  - {x['label']}: due {fmt(x['due'])}, now {days(x['days_late'])} late")
    return lines


def unverified_agencies(actions: list[dict]) -> set[str]:
    """The agencies (as same_name keys) whose latest word on an action was taken UNVERIFIED: they
    are still chased, and their chase says why."""
    return {same_name(a.get("agency")) for a in actions if is_unverified(a.get("progress"))}


def chase_message(case_name: str, agency: str, items: list[dict], *, board: str = "",
                  unverified: bool = False) -> tuple[str, str]:
    """(subject, body) of the chase e-mail to ``agency`` for ``items`` (summary.chase_list rows);
    ``unverified``: an update from the agency was taken that could not be verified."""
    late = [x for x in items if not x.get("signed_copy")]
    signed = [x for x in items if x.get("signed_copy")]
    subject = (f"Case review {case_name}: overdue from {agency}" if late
               else f"Case review {case_name}: signed copy needed from {agency}")
    contact = items[0].get("contact") or "colleague"
    body = [f"Dear {contact},", ""]
    if late:
        body += [f"For the case review {case_name}, our records show the following are overdue from {agency}:", ""]
        body += chase_lines(late) + [""]
        if any(not x.get("promised") for x in late):
            body.append("Please send them, or tell us the date you can promise, by return.")
        else:
            body.append("Please send them, or tell us the new date you can keep, by return.")
        body += ["If your agency had no involvement with the family, please confirm a nil return.", ""]
    if unverified:
        body += ["We have had an update from you that we could not verify as the update sheet we sent you (it is "
                 "recorded, marked unverified). Please fill in and return the update sheet we sent, so that your "
                 "update can be confirmed.", ""]
    if signed:
        body += [f"For the case review {case_name}, we have received the following from {agency}, but not the copy "
                 "signed by your designated senior manager:", ""]
        body += chase_lines(signed) + ["", "Please send the signed copy by return.", ""]
    body += ["Please send documents password-protected with the case password, never by unsecured e-mail.", "",
             "With thanks,", sign_off(board)]
    return subject, "\n".join(body)


def sign_off(board: str) -> str:
    """Who every e-mail to an agency is from: the board's business unit."""
    return f"Business Unit, {board}" if board.strip() else "Safeguarding Partnership Business Unit"


def rejection_message(case_name: str, agency: str, file_name: str, problems: list, *, contact: str = "",
                      board: str = "") -> tuple[str, str]:
    """(subject, body) of the e-mail asking ``agency`` to correct the update sheet ``file_name``
    that could not be imported: every point in ``problems`` (ScrErrors) with where it is and the fix."""
    for_case = f" for the case review {case_name}" if case_name else ""
    subject = f"Case review {case_name}: please correct and resend your update sheet" if case_name else \
        "Please correct and resend your update sheet"
    body = [f"Dear {contact or 'colleague'},", "",
            f"Thank you for returning the update sheet{for_case} ({file_name}). We could not take it in, so none "
            "of its updates have been recorded yet. Please correct the following in the update sheet and send it "
            "to us again:", ""]
    for n, p in enumerate(problems, 1):
        where = p.where(file=False)
        body.append(f"  {n}. {where[:1].upper() + where[1:] + ': ' if where else ''}{p.message}"
                    + (f" To fix: {p.fix}" if p.fix else ""))
    body += ["", "Please correct these points in the same file (not a new copy of it), save it as an Excel "
             "Workbook (.xlsx) and send it back to us, password-protected with the case password.", "",
             "With thanks,", sign_off(board)]
    return subject, "\n".join(body)
