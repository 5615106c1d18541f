"""`scr`: everything a button in the case workbook does, from the command line.

Errors are printed as one plain message naming the file, sheet, row and what to fix; never a
traceback (set SCR_DEBUG=1 to see one). Exit status: 0 done, 1 a problem with the input,
2 a usage error.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from tracker.excel_dates import fmt
from tracker.text import plural
from tracker.cli_group import ScrGroup
from tracker.cli_options import (agency_list, as_case_name, as_date, as_nation, as_profile, as_year,
                                 ask_if_interactive, case_password, password_option)


@click.group(cls=ScrGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="scr-tracker")
def main():
    """Serious Case Review tracker: deadlines, agency returns, front sheet and action plans."""
    from workbook.xlsx import crypto
    crypto.ask_password = ask_if_interactive


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", required=True, callback=as_case_name, help="Case name: initials or a code, never the child's name.")
@click.option("--profile", default=None, callback=as_profile, help="Timescale profile id (see `scr profiles`).")
@click.option("--day0", required=True, callback=as_date, help="Day 0 (dd/mm/yyyy or yyyy-mm-dd).")
@click.option("--nation", default=None, callback=as_nation, help="england-and-wales, scotland or northern-ireland.")
@click.option("--agencies", default=None, help="Comma-separated agency names (default: the board's list).")
@click.option("--settings", "settings_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="The board's settings file (default: SCR_SETTINGS or the built-in example).")
@click.option("--force", is_flag=True, help="Replace an existing file (a backup is kept).")
@click.option("--encrypt", is_flag=True,
              help="Keep the workbook encrypted with the case password (asked for twice, or SCR_CASE_PASSWORD).")
def new(path, name, profile, day0, nation, agencies, settings_file, force, encrypt):
    """Start a new case workbook at PATH (.xlsx)."""
    from workbook.commands.new import new_case
    from tracker.privacy import NAME_WARNING, looks_like_full_name
    if looks_like_full_name(name):
        click.echo(f"Warning: the case name {NAME_WARNING}", err=True)
    result = new_case(path, name=name, profile=profile, day0=day0, nation=nation,
                      agencies=agency_list(agencies), settings_file=settings_file, force=force,
                      password=case_password(True, confirm=True) if encrypt else None)
    click.echo(f"Created {path}: profile {result.profile.id}, Day 0 {fmt(day0)}, "
               f"{len(result.plan.milestones)} milestones, {len(result.agencies)} agencies.")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--today", callback=as_date, default=None, help="Compute as at this date (default: today).")
@password_option()
def refresh(path, today, ask_password):
    """Recompute every date, status and BRAG in the workbook and save it safely."""
    case_password(ask_password)
    from workbook.commands.refresh import refresh as do_refresh
    r = do_refresh(path, today=today)
    click.echo(f"Refreshed {path}: {r.cells} cells as at {fmt(r.case.as_at)}."
               + (f" Backup: {r.backup}" if r.backup else ""))
    if r.converted:
        click.echo(f"Dates typed as text, now real dates ({len(r.converted)}):")
        for t in r.converted:
            click.echo(f"  {t}")
    for w in r.warnings:
        click.echo(f"Warning: {w}")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="The same figures as JSON.")
@click.option("--today", callback=as_date, default=None, help="As at this date (default: the workbook's).")
@password_option()
def status(path, as_json, today, ask_password):
    """Next milestones, overdue items, returns outstanding by agency, BRAG counts."""
    case_password(ask_password)
    from tracker.summary import status_text
    from workbook.commands.status import status as status_of
    data = status_of(path, today)
    click.echo(json.dumps(data, indent=2, ensure_ascii=False) if as_json else status_text(data))
    if data["problems"]:
        # the figures are shown, but a script must still see that the case needs fixing
        n = len(data["problems"])
        click.echo(f"{n} problem{'s' if n != 1 else ''} found in {path}:", err=True)
        for p in data["problems"]:
            click.echo(f"  - {p}", err=True)
        sys.exit(1)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the chase e-mails (default: 'chase' beside the workbook).")
@click.option("--today", callback=as_date, default=None, help="As at this date (default: the workbook's).")
@click.option("--sender", default="", help="From: address for the e-mails.")
@password_option()
def chase(path, out, today, sender, ask_password):
    """Who to chase today, for what, how late; writes ready-to-send .eml files (nothing is sent)."""
    case_password(ask_password)
    from workbook.commands.chase import chase as chase_of
    done = chase_of(path, out, today=today, sender=sender)  # the e-mails are written before anything is printed
    click.echo(done.text)
    if done.files:
        click.echo(f"{plural(len(done.files), 'e-mail')} ready in {done.folder} (open, check and send them yourself).")


@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path), default=Path("demo"))
@click.option("--today", callback=as_date, default=None, help="Build the demo as at this date (default: today).")
def demo(directory, today):
    """Build a complete fictional case at a realistic stage, refresh it, and show its status."""
    from workbook.commands.demo import run_demo
    from tracker.summary import status_text
    res = run_demo(directory, today or dt.date.today())
    click.echo(f"Demo case workbook: {res.path}")
    click.echo("")
    click.echo(status_text(res.status))
    click.echo("")
    click.echo(res.chase_text)
    if res.emails:
        click.echo(f"{plural(len(res.emails), 'chase e-mail')} in {res.emails[0].parent}")


@main.command("issue-updates")
@click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--agency", default=None, help="Only this agency (default: every agency with open actions).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the sheets (default: update-sheets/<date> beside the case).")
@password_option("Encrypt each sheet with the case password: asked for (not shown), or set SCR_CASE_PASSWORD. "
                 "A protected case's sheets are encrypted without it.")
@click.option("--no-encrypt", "plain", is_flag=True,
              help="Send the sheets unencrypted even though the case has a password.")
@click.option("--today", callback=as_date, default=None, help="Issue as at this date (default: today).")
def issue_updates_cmd(case, agency, out, ask_password, plain, today):
    """Write an update sheet for each agency with open actions, and log it in the case."""
    from workbook.commands.issue_updates import issue_updates
    if plain and ask_password:
        raise click.UsageError("--password and --no-encrypt contradict each other: give one of them.")
    sheets = issue_updates(case, out, agency, None if plain else case_password(ask_password), today=today, plain=plain)
    if not sheets:
        click.echo("No agency has open actions: no sheets written.")
    for s in sheets:
        click.echo(f"{s.agency}: {plural(len(s.actions), 'action')}, return by {fmt(s.return_by)} -> {s.path}"
                   + ("  (encrypted with the case password)" if s.encrypted else ""))
    if sheets and not any(s.encrypted for s in sheets):
        click.echo("These sheets are NOT encrypted: anyone who gets hold of one can read it. To send them "
                   "password protected, run again with --password (or protect the case: `scr protect`).", err=True)


@main.command("import")
@click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@password_option("Ask for the case password, for encrypted returns (or set SCR_CASE_PASSWORD).")
@click.option("--today", callback=as_date, default=None, help="Import as at this date (default: today).")
@click.option("--accept-unverified", is_flag=True,
              help="Also apply returns that cannot be verified (not a signed sheet the Board issued for this case), "
                   "marked UNVERIFIED; without it they are refused.")
def import_cmd(case, files, ask_password, today, accept_unverified):
    """Apply returned update sheets: each all or nothing; rejected files get a report for the agency.

    Exit status 0: all applied (or already imported); 1: some rejected or refused as unverified (the rest
    applied); 2: usage error."""
    from workbook.commands.import_returns import import_returns, outcome_text
    result = import_returns(case, files, case_password(ask_password), today=today, accept_unverified=accept_unverified)
    click.echo(outcome_text(result))
    sys.exit(result.exit_code)


@main.command("sign-off")
@click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("action_ref")
@click.option("--by", required=True, help='Who signed it off, as a role: "Chair" or "Board". Roles, not names.')
@click.option("--on", "on", callback=as_date, default=None, help="The day it was signed off (default: today).")
@click.option("--note", default="", help="Anything worth recording, e.g. the evidence seen (no personal names).")
@password_option()
def sign_off_cmd(case, action_ref, by, on, note, ask_password):
    """Record the Board's sign-off of action ACTION_REF: it turns Blue, with who and when in Updates and the Audit."""
    case_password(ask_password)
    from workbook.commands.sign_off import sign_off
    from tracker.privacy import NAME_WARNING, looks_like_full_name
    for option, text in (("--by", by), ("--note", note)):
        if looks_like_full_name(text):
            click.echo(f"Warning: {option} {NAME_WARNING}", err=True)
    done = sign_off(case, action_ref, by, on, note)
    for w in done.warnings:
        click.echo(f"Warning: {w}", err=True)
    click.echo(f"Signed off action {done.action_id} ({done.agency}) on {fmt(done.on)} by {done.by}; it was "
               f"'{done.was}'." + (f" Backup of the case: {done.backup}" if done.backup else ""))


@main.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Report file (.xlsx).")
@click.option("--pdf", is_flag=True, help="Also make a PDF (needs LibreOffice).")
@click.option("--master", is_flag=True, help="The final master record of every action, for the Chair to sign.")
@click.option("--today", callback=as_date, default=None, help="As at this date (default: the workbook's).")
@password_option()
def report(case, out, pdf, master, today, ask_password):
    """The collated action-plan progress report for the Board: BRAG by agency and recommendation."""
    case_password(ask_password)
    from workbook.commands.report import build_master, build_report
    if master:
        m = build_master(case, out, pdf=pdf, today=today)
        click.echo(f"Master action record: {m.path}" + (f" and {m.pdf}" if m.pdf else ""))
        click.echo(f"{plural(m.actions, 'action')}, {m.signed_off} signed off by the Board; "
                   + ("ready for the Chair to sign." if m.ready else "not yet complete: see 'Still to record'."))
        return
    r = build_report(case, out, pdf=pdf, today=today)
    click.echo(f"Report: {r.path}" + (f" and {r.pdf}" if r.pdf else ""))
    click.echo("BRAG: " + ", ".join(f"{w} {n}" for w, n in r.counts.items())
               + f"; {plural(r.changes, 'update')} since " + (fmt(r.since) if r.since else "the start") + ".")


@main.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Portfolio file (.xlsx; default: 'Portfolio <date>.xlsx' in the first folder).")
@click.option("--pdf", is_flag=True, help="Also make a PDF Board paper (needs LibreOffice).")
@click.option("--year", callback=as_year, default=None, help="Financial year of the annual report, e.g. 2026-27.")
@click.option("--today", callback=as_date, default=None, help="As at this date (default: today).")
@click.option("--settings", "settings_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="The board's settings file, whose list of themes is counted (default: SCR_SETTINGS or the built-in).")
@password_option("Ask for the case password, for protected cases (or set SCR_CASE_PASSWORD).")
def portfolio(folders, out, pdf, year, today, settings_file, ask_password):
    """Every case workbook under FOLDERS in one portfolio for the Board; no case file is changed."""
    case_password(ask_password)
    from tracker.board import load_board
    from workbook.commands.portfolio import build_portfolio
    themes = load_board(settings_file).themes  # a mistake in the settings file is named before any case is read
    bars = []
    p = build_portfolio(folders, out, pdf=pdf, year=year, today=today, board_themes=themes,
                        progress=lambda n: bars[0].update(n),
                        on_count=lambda n: bars.append(click.progressbar(length=n, label="Reading", file=sys.stderr)))
    if bars:
        bars[0].render_finish()
    click.echo(f"Portfolio: {p.path}" + (f" and {p.pdf}" if p.pdf else ""))
    click.echo(f"{plural(len(p.reviews), 'review')} read; {plural(sum(len(r.actions) for r in p.reviews), 'action')}; "
               f"{plural(sum(1 for r in p.reviews if r.overdue), 'review')} with overdue milestones.")
    if p.not_read:
        click.echo(f"{plural(len(p.not_read), 'file')} not read (see the 'Not read' sheet):", err=True)
        for name, why in p.not_read:
            click.echo(f"  - {name}: {why}", err=True)


@main.command("log")
@click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--what", required=True, help='What was done, e.g. "Overview report and executive summary sent".')
@click.option("--to", "shared_with", default="", help='Who it was shared with, e.g. "Ofsted". Roles, not names.')
@click.option("--detail", default="", help="Anything else worth recording (no personal names).")
@click.option("--chair-permission", "permission", callback=as_date, default=None,
              help="The date the Chair gave permission to share it (documents are shared only with it).")
@password_option()
def log_cmd(case, what, shared_with, detail, permission, ask_password):
    """Record in the case's Audit sheet what was shared, with whom, and when."""
    case_password(ask_password)
    from workbook.commands.log import log_entry
    from tracker.privacy import NAME_WARNING, looks_like_full_name
    for option, text in (("--to", shared_with), ("--detail", detail)):
        if looks_like_full_name(text):
            click.echo(f"Warning: {option} {NAME_WARNING}", err=True)
    if shared_with.strip() and permission is None:
        click.echo("Warning: recorded as shared without the Chair's permission; documents are shared only "
                   "with it (add --chair-permission DATE).", err=True)
    row = log_entry(case, what, shared_with, detail, permission)
    click.echo(f"Logged at {row['When']}: {row['What']}")


@main.command("merge-chronologies")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--case", "case_name", default=None,
              help="Case name for the title: initials or a code (default: OUT's name).")
@click.option("--key", "key_path", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Name key (.csv or .xlsx: full name, code): names become their codes; the key is not copied.")
@password_option("Ask for the case password, for encrypted chronologies (or set SCR_CASE_PASSWORD).")
@click.option("--encrypt/--no-encrypt", default=None,
              help="Protect OUT with the case password, or write it plain on purpose (--no-encrypt); one of them "
                   "is needed when any FILE is password-protected.")
@click.option("--named", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --key: also write the panel's version with the names to this file (OUT is the coded one).")
@click.option("--record-in", "record_in", default=None, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The case workbook: record each agency's chronology as received and added, with an Audit row.")
def merge_chronologies_cmd(out, files, case_name, key_path, ask_password, encrypt, record_in, named):
    """Merge the agency chronologies FILES into one integrated chronology OUT (.xlsx), colour coded per agency.

    FILES: Excel workbooks or Word tables in the seeds' layouts (Rotherham, Bolton, Durham, Essex; the
    form `scr issue-chronologies` sends), dates as dd/mm/yy or e.g. 'June 04 approx'; see docs/CHRONOLOGIES.md.
    All or nothing: if any file has a problem, every problem is listed and nothing is written (exit 1)."""
    from workbook.commands.merge_chronologies import merge_files
    result = merge_files(out, files, case_name=case_name, key_path=key_path, password=case_password(ask_password),
                         encrypt=encrypt, record_in=record_in, named=named)
    click.echo(result.summary())


@main.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--off", is_flag=True, help="Take the password protection off instead.")
@password_option("Ask for the case password (twice, when protecting; or set SCR_CASE_PASSWORD).")
def protect(case, off, ask_password):
    """Keep the case workbook encrypted with the case password (as Excel's Encrypt with Password)."""
    from workbook.commands.protect import protect as do_protect
    password = case_password(ask_password, confirm=not off)
    backup = do_protect(case, password, off=off)
    click.echo(f"{case} is {'no longer' if off else 'now'} password-protected."
               + (f" Backup: {backup}" if backup else "")
               + ("" if off else " Every command will ask for the password (or read SCR_CASE_PASSWORD)."))


@main.command()
def profiles():
    """List the timescale profiles and their milestones."""
    from tracker.profiles import all_profiles
    for p in sorted(all_profiles().values(), key=lambda p: p.id):
        click.echo(f"{p.id}: {p.name}\n    source: {p.source}")
        for m in p.milestones:
            click.echo(f"    {m.id:<34} {m.rule_text()}")


@main.command()
@click.option("--profile", default=None, callback=as_profile, help="Timescale profile id (default: the board's).")
@click.option("--day0", required=True, callback=as_date, help="Day 0.")
@click.option("--nation", default=None, callback=as_nation, help="Default: the board's.")
@click.option("--today", callback=as_date, default=None)
@click.option("--settings", "settings_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="The board's settings file (default: SCR_SETTINGS or the built-in example).")
def timescale(profile, day0, nation, today, settings_file):
    """Print a review's timescale from its Day 0 (no workbook needed), counted as the board's case files count."""
    from tracker.board import load_board
    from tracker.calendar import WorkCalendar
    from tracker.plan import make_plan
    from tracker.profiles import get_profile
    board = load_board(settings_file)
    p = get_profile(profile or board.profile)
    plan = make_plan(p, day0, calendar=WorkCalendar(nation or board.nation or p.nation, board.closure_days))
    click.echo(f"{p.name} — Day 0 {fmt(day0)}")
    for m in plan.milestones:
        click.echo(f"  {fmt(m.due) or '—':<10}  {m.status(today, board.due_soon_days):<20} {m.id:<30} {m.flag_text()}")


from tracker import cli_documents  # noqa: E402  (its commands join the group here)

for _command in (cli_documents.calendar, cli_documents.letter, cli_documents.extend, cli_documents.record,
                 cli_documents.convert,
                 cli_documents.issue_chronologies):
    main.add_command(_command)

if __name__ == "__main__":
    main()
