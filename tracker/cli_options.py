"""The options every `scr` command shares: dates, profile, nation and agencies checked as they
are read (a mistake is a usage error, exit 2), and the case password, which never goes in argv."""
from __future__ import annotations

import os
import re
import sys

import click

from tracker.errors import ScrError
from tracker.excel_dates import parse_date


def as_date(ctx, param, value):
    if value is None:
        return None
    try:
        return parse_date(value, what=param.name.replace("_", " "))
    except ScrError as e:
        raise click.BadParameter(str(e)) from None


def as_profile(ctx, param, value):
    """--profile checked as the option is read, so a misspelt id is a usage error (exit 2)."""
    if value is None:
        return None
    from tracker.profiles import get_profile
    try:
        get_profile(value)
    except ScrError as e:
        if e.file is not None:  # a board's profile file that is wrong: its own message, exit 1
            return value
        raise click.BadParameter(str(e)) from None
    return value


def as_year(ctx, param, value):
    """--year as a financial year (2026-27), or a usage error."""
    if value is None:
        return None
    from tracker.portfolio import year_span
    try:
        year_span(value)
    except ScrError as e:
        raise click.BadParameter(str(e)) from None
    return value.strip()


def as_case_name(ctx, param, value):
    if value is not None and not value.strip():
        raise click.BadParameter("the case name is blank. Fix: Give initials or a case code.")
    return value


def as_nation(ctx, param, value):
    """--nation as the tracker stores it ("wales" is england-and-wales), or a usage error."""
    if value is None:
        return None
    from tracker.bankholidays import canonical_nation
    try:
        return canonical_nation(value)
    except ScrError as e:
        raise click.BadParameter(str(e)) from None


# Passwords never go on the command line, where `ps` and shell history show them to others:
# --password asks for it (hidden), SCR_CASE_PASSWORD gives it, and a password-protected case
# workbook asks by itself when someone is at the keyboard.
PASSWORD_HELP = "Ask for the case password (not shown as you type; or set SCR_CASE_PASSWORD)."


def password_option(help_text: str = PASSWORD_HELP):
    return click.option("--password", "ask_password", is_flag=True, help=help_text)


def prompt_password(confirm: bool = False) -> str:
    return click.prompt("Case password", hide_input=True, confirmation_prompt=confirm, err=True)


def ask_if_interactive() -> str | None:
    return prompt_password() if sys.stdin.isatty() else None


def case_password(ask: bool, *, confirm: bool = False) -> str | None:
    """The case password: SCR_CASE_PASSWORD, or asked for with --password; None if neither."""
    pw = os.environ.get("SCR_CASE_PASSWORD")
    if not pw and ask:
        pw = prompt_password(confirm)
        if not pw.strip():
            raise click.BadParameter("the password is empty.", param_hint="--password")
        os.environ["SCR_CASE_PASSWORD"] = pw  # asked once, for every document this run opens
    return pw or None


def agency_list(text: str | None) -> list[str] | None:
    """--agencies as names: split on commas or semicolons; duplicates and an empty list refused."""
    if text is None:
        return None
    names = [a.strip() for a in re.split(r"[,;]", text) if a.strip()]
    if not names:
        raise click.BadParameter("the list of agencies is empty; leave --agencies out to use the board's list.",
                                 param_hint="--agencies")
    seen = {}
    for n in names:
        if n.casefold() in seen:
            raise click.BadParameter(f"'{n}' is listed twice (as '{seen[n.casefold()]}' too).", param_hint="--agencies")
        seen[n.casefold()] = n
    return names
