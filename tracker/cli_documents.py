"""The `scr` commands for the review's documents and dates: letters and the Terms of Reference,
the calendar file, timescale extensions and chronology forms (registered on tracker.cli's group)."""
from __future__ import annotations

from pathlib import Path

import click

from tracker.cli_options import as_date, case_password, password_option
from tracker.excel_dates import fmt
from tracker.text import plural


@click.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The calendar file (.ics; default: '<case> calendar.ics' beside the case).")
@click.option("--today", callback=as_date, default=None, help="As at this date (default: the workbook's).")
@password_option()
def calendar(case, out, today, ask_password):
    """The review's calendar file (.ics): every deadline still to come or overdue, and the Meetings sheet's meetings."""
    case_password(ask_password)
    from workbook.commands.calendar import write_calendar
    c = write_calendar(case, out, today=today)
    click.echo(f"Calendar: {c.path}: {plural(c.deadlines, 'deadline')} and {plural(c.meetings, 'meeting')}."
               + (" (This case file has no Meetings sheet: it was made before meetings were kept; "
                  "deadlines only.)" if c.no_meetings_sheet else ""))

@click.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.argument("kind", required=False)
@click.option("--to", "to", default=None, help="The agency written to (as on the Agencies sheet), for an agency's letter.")
@click.option("--key", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The case's name key (full name, code): the only source of names in a letter.")
@click.option("--child", default=None, help="The child's code in the key (e.g. 'Child Q'): the letter names the child.")
@click.option("--dear", default=None, help="The code in the key of the person written to (the family's letter).")
@click.option("--dob", default=None, help="The child's date of birth, if the letter is to give it.")
@click.option("--templates", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The board's folder of Word templates (<kind>.docx); a kind not there uses the built-in.")
@click.option("--write-templates", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the built-in templates into this folder, for the board to edit, and stop.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="The letter file (.docx).")
@click.option("--on", "on", callback=as_date, default=None, help="The letter's date (default: today).")
@password_option()
def letter(case, kind, to, key, child, dear, dob, templates, write_templates, out, on, ask_password):
    """A letter or the Terms of Reference for CASE, filled from the case: KIND is terms-of-reference, family,
    agency-notification, coroner, ofsted, action-plan-request or chase. Recorded in the Audit."""
    from tracker.letters import KINDS, PLACEHOLDERS
    if write_templates is not None:
        from workbook.letters.write import write_templates as write_all
        made = write_all(write_templates)
        click.echo(f"{plural(len(made), 'template')} written to {write_templates} (one kept that was already there: "
                   "edit it in Word; placeholders are " + ", ".join("{{ " + p + " }}" for p in PLACEHOLDERS) + ").")
        return
    if case is None or kind is None:
        raise click.UsageError("give CASE and KIND (one of: " + ", ".join(KINDS) + ").")
    case_password(ask_password)
    from workbook.commands.letter import make_letter
    done = make_letter(case, kind, to, key=key, child=child, dear=dear, dob=dob, out=out, templates=templates, on=on)
    click.echo(f"Letter: {done.path}" + (" (password-protected)" if done.encrypted else " (NOT encrypted)")
               + (f"; the Agencies sheet's letter date ({done.request_date}) is now set" if done.request_date else ""))

@click.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("milestone")
@click.option("--to", "to", callback=as_date, required=True, help="The new due date agreed (dd/mm/yyyy).")
@click.option("--agreed-by", required=True, help='Who agreed it, as a role or body: "the Panel", "Ofsted". Roles, not names.')
@click.option("--on", "on", callback=as_date, default=None, help="The day it was agreed (default: today).")
@click.option("--why", default="", help="Why, e.g. \"awaiting the criminal trial\" (no personal names).")
@password_option()
def extend(case, milestone, to, agreed_by, on, why, ask_password):
    """Record a timescale extension: MILESTONE's new date, who agreed it, when and why (Timescale and Audit)."""
    case_password(ask_password)
    from workbook.commands.extend import extend as extend_case
    from tracker.privacy import NAME_WARNING, looks_like_full_name
    for option, text in (("--agreed-by", agreed_by), ("--why", why)):
        if looks_like_full_name(text):
            click.echo(f"Warning: {option} {NAME_WARNING}", err=True)
    done = extend_case(case, milestone, to, agreed_by, on, why)
    e = done.extension
    click.echo(f"Extended {e.milestone} ({done.label}) to {fmt(e.to)}"
               + (f", {plural(e.days, 'day')} later than {fmt(e.was)}" if e.was else "")
               + f"; agreed by {e.agreed_by} on {fmt(e.agreed_on)}."
               + (f" {plural(done.moved, 'later milestone')} moved with it." if done.moved else "")
               + (f" Backup of the case: {done.backup}" if done.backup else ""))


@click.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kind", required=True, help="Decision, Extension agreed, Family, Parallel proceedings, Publication, "
              "Multi-agency debrief, Evaluation of the review, Review converted or Other.")
@click.option("--what", required=True, help='What was decided or done, e.g. "An LCSPR will be held".')
@click.option("--by", "by", required=True, help='Who, as a role or body, e.g. "the safeguarding partners".')
@click.option("--on", "on", callback=as_date, default=None, help="The day (default: today).")
@click.option("--why", default="", help="Why: the rationale (no personal names).")
@click.option("--done", default="", help="A milestone this completes, given the same date as its Actual "
              "(e.g. lcspr-decision).")
@password_option()
def record(case, kind, what, by, on, why, done, ask_password):
    """Add an entry to the case's Record sheet: a decision, the family, proceedings, publication (and Audit)."""
    import datetime as dt
    case_password(ask_password)
    from tracker.privacy import NAME_WARNING, looks_like_full_name
    from workbook.commands.record import record as record_entry
    for option, text in (("--what", what), ("--by", by), ("--why", why)):
        if looks_like_full_name(text):
            click.echo(f"Warning: {option} {NAME_WARNING}", err=True)
    done_ = record_entry(case, kind, on or dt.date.today(), what, by, why, done=done)
    r = done_.row
    click.echo(f"Recorded on the Record sheet: {r['kind']}, {fmt(r['date'])}: {r['what']} (by {r['who']})."
               + (f" {done_.done} done {fmt(r['date'])}." if done_.done else "")
               + (f" Backup of the case: {done_.backup}" if done_.backup else ""))


@click.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "to", required=True, help="The profile the review now follows, e.g. essex-2016-scr.")
@click.option("--by", "by", required=True, help='Who decided it, as a role or body, e.g. "the Independent Chair".')
@click.option("--on", "on", callback=as_date, default=None, help="The day it was decided (default: today).")
@click.option("--why", default="", help="Why (no personal names).")
@click.option("--day0", callback=as_date, default=None, help="The new profile's Day 0 (default: the case's).")
@password_option()
def convert(case, to, by, on, why, day0, ask_password):
    """Continue the review as another kind (another profile) in the same file, keeping its history."""
    case_password(ask_password)
    from workbook.commands.convert import convert as convert_case
    done = convert_case(case, to, by=by, on=on, why=why, day0=day0)
    click.echo(f"Converted {case.name} from {done.was} to {done.now}, Day 0 {fmt(done.day0)}; "
               f"{plural(done.kept, 'earlier milestone')} kept on the Record sheet."
               + (f" Backup of the case: {done.backup}" if done.backup else ""))


@click.command("issue-chronologies")
@click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--agency", default=None, help="Only this agency (as on the Agencies sheet).")
@click.option("--period", default="", help='The period under review, e.g. "01/01/2025 to 30/06/2026".')
@click.option("--initials", default="", help='The family initials the agencies are to use, e.g. "KB (child), JB (mother)".')
@click.option("--today", callback=as_date, default=None, help="The date of issue (default: today).")
@click.option("--format", "layout", type=click.Choice(["rotherham", "bolton", "durham", "essex"]), default=None,
              help="The form's layout (default: the board settings' chronology_format, else seed 001's).")
@password_option()
def issue_chronologies(case, agency, period, initials, today, layout, ask_password):
    """Write a chronology form (seed 001 §3.7) for every involved agency whose chronology is not yet in."""
    case_password(ask_password)
    from tracker.privacy import NAME_WARNING, looks_like_full_name
    from workbook.commands.issue_chronologies import issue_chronologies as issue, summary
    if looks_like_full_name(initials):
        click.echo(f"Warning: --initials {NAME_WARNING}", err=True)
    click.echo(summary(issue(case, agency, period=period, initials=initials, today=today, layout=layout)))
