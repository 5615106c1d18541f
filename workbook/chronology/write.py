"""Writing the integrated chronology: one sheet colour coded per agency with a legend, and a sheet
of the agencies; atomic, optionally password-protected."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from tracker import chronology as C
from tracker.chronology import Entry
from tracker.errors import ScrError
from tracker.excel_dates import DATE_FORMAT, fmt
from workbook.xlsx.crypto import encrypt_bytes
from workbook.xlsx import pages
from workbook.xlsx.rows import lines_needed, row_height
from workbook.xlsx.safe import atomic_write, remove_stale_temps

SHEET = "Integrated chronology"
AGENCY_SHEET = "Agencies"
TIMELINE_SHEET = "Timeline"



# Light fills that keep black text readable and print in greyscale as different greys.
PALETTE = (
    ("light blue", "#DDEBF7"), ("peach", "#FCE4D6"), ("light green", "#E2EFDA"), ("light yellow", "#FFF2CC"),
    ("lavender", "#E4DFEC"), ("aqua", "#DAF2F2"), ("pink", "#F9DADF"), ("light grey", "#E7E6E6"),
    ("sand", "#F2E6D0"), ("mint", "#D5F5E3"), ("sky", "#C9E4F5"), ("apricot", "#FBD5B5"),
)

# (key, header, width in characters)
COLUMNS = (
    # Narrow enough to print across one landscape page at a readable size (workbook.xlsx.pages).
    ("date", "Date", 12), ("time", "Time", 6), ("family", "Family member(s)", 11),
    ("event", "Event / information", 38), ("agency", "Agency", 16), ("action", "Action taken / response", 26),
    ("child_seen", "Child seen (views and wishes)", 14), ("note", "Note", 20), ("source", "Source", 16),
)


def colours_for(names: list[str]) -> dict[str, tuple[str, str]]:
    """(colour name, hex fill) per agency, in the order given; past the palette, further light
    tints spread round the colour wheel."""
    import colorsys
    out = {}
    for i, n in enumerate(names):
        if i < len(PALETTE):
            out[n] = PALETTE[i]
        else:
            h = ((i - len(PALETTE)) * 0.618034) % 1.0
            r, g, b = colorsys.hls_to_rgb(h, 0.88, 0.55)
            out[n] = (f"tint {i + 1}", "#{:02X}{:02X}{:02X}".format(round(r * 255), round(g * 255), round(b * 255)))
    return out


def agency_cell(e: Entry) -> str:
    return e.agency + (f"\n{e.detail}" if e.detail else "")


def source_cell(e: Entry) -> str:
    sheet = f", {e.source_sheet}" if e.source_sheet else ""
    return f"{e.source_file}{sheet}, row {e.source_row}"


# Entry fields -> the column that shows them
_SHOWN_IN = {"date_text": "date", "detail": "agency", "source_file": "source", "source_sheet": "source"}


def first_entry_row(entries: list[Entry]) -> int:
    """The sheet row (1-based) of the first entry: below the title, subtitle, the legend (one
    row per agency) and the header row."""
    return len(C.agencies(entries)) + 7


def leftover_places(entries: list[Entry], leftovers: list[C.Leftover]) -> list[str]:
    """Where in the written sheet each leftover is, "row 12 (Event / information)", one per
    row: what the board manager opens to check, without the words themselves."""
    first = first_entry_row(entries)
    heads = {k: h for k, h, _ in COLUMNS}
    rows: dict[int, list[str]] = {}
    for x in leftovers:
        h = heads.get(_SHOWN_IN.get(x.field, x.field), x.field)
        cols = rows.setdefault(first + x.entry, [])
        if h not in cols:
            cols.append(h)
    return [f"row {r} ({', '.join(cols)})" for r, cols in sorted(rows.items())]


def shown_date(e: Entry) -> str:
    return e.date_text if e.approximate else fmt(e.date)


def is_integrated(path, password: str | None = None) -> bool:
    """Is ``path`` an integrated chronology (ours: its two sheets, decrypted with ``password`` if it
    was written with --encrypt)? Only such a file may be replaced by a new merge."""
    from workbook.chronology.read import open_received
    try:
        wb, problems = open_received(Path(path), password)
    except Exception:  # anything unreadable is not ours
        return False
    # [SHEET, AGENCY_SHEET] alone: one made before the Timeline sheet, still ours to replace
    return wb is not None and not problems and wb.sheetnames in ([SHEET, AGENCY_SHEET], [SHEET, AGENCY_SHEET, TIMELINE_SHEET])


def write_integrated(path, entries: list[Entry], *, case_name: str, coded: bool | None = None,
                     password: str | None = None, names_to_check: int = 0, made: dt.date | None = None,
                     births: dict | None = None) -> Path:
    """Write the integrated chronology (entries in the order given: merge them first) to ``path``
    atomically: sheet "Integrated chronology" colour coded per agency with a legend, and sheet
    "Agencies". ``coded`` says in the subtitle whether names were coded with a key (None: say
    nothing; with ``names_to_check`` entries still holding words that are part of a name in the
    key it never says the names are coded). ``password`` encrypts the file (Excel's Encrypt with Password).
    ``made`` is the date printed in the footer (default today); ``births`` (code -> date of
    birth, from the key) puts each child's age at the event beside its code in Family member(s)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ScrError("the integrated chronology must be an .xlsx file.", file=path, fix="Give a name ending .xlsx.")
    entries = list(entries)
    if not entries:
        raise ScrError("there are no entries to write.", file=path)
    remove_stale_temps(path.parent, path.name)  # a killed earlier merge's, named after the output

    if password:  # made and encrypted in memory: no plaintext copy ever touches the disk
        buf = io.BytesIO()
        _write(buf, entries, case_name=case_name, coded=coded, names_to_check=names_to_check, made=made,
               births=births or {})
        atomic_write(path, encrypt_bytes(buf.getvalue(), password, file=path), keep=3)
        return path

    def write(tmp: Path):
        _write(tmp, entries, case_name=case_name, coded=coded, names_to_check=names_to_check, made=made,
               births=births or {})
    atomic_write(path, write, keep=3)
    return path


def _write(path: Path, entries: list[Entry], *, case_name: str, coded: bool | None, names_to_check: int,
           births: dict, made: dt.date | None = None):
    from workbook.xlsx.writer import new_workbook

    groups = C.agencies(entries)
    colours = colours_for(list(groups))
    colour_of = {C.agency_key(n): colours[n][1] for n in groups}
    wb = new_workbook(path)
    wb.set_properties({"title": f"Integrated chronology {case_name}", "author": "", "comments": ""})
    cache: dict = {}

    def F(**kw):
        kw = {"font_name": "Arial", "font_size": 10, "valign": "top", **kw}
        k = tuple(sorted(kw.items()))
        if k not in cache:
            cache[k] = wb.add_format(kw)
        return cache[k]

    ws = wb.add_worksheet(SHEET)
    ncol = len(COLUMNS)
    for j, (_, _, w) in enumerate(COLUMNS):
        ws.set_column(j, j, w)
    dated = [e for e in entries if e.date is not None]
    span = f", {shown_date(dated[0])} to {shown_date(dated[-1])}" if dated else ""
    ws.merge_range(0, 0, 0, ncol - 1, f"Integrated chronology — {case_name}", F(bold=True, font_size=14))
    sub = (f"{len(entries)} entries from {len(groups)} agenc{'y' if len(groups) == 1 else 'ies'}{span}. "
           "In date order: a date known only roughly (e.g. 'June 04 approx') stands at the start of its period. "
           "Facts are dated when they became known to the agency.")
    if coded is True and names_to_check:
        sub += (f" Names were coded with a key kept separately (not in this file), but {names_to_check} "
                f"entr{'y' if names_to_check == 1 else 'ies'} still hold words that are part of a name in the key: "
                "CHECK them and code them by hand before this leaves the panel.")
    elif coded is True:
        sub += " Names are coded; the key is kept separately and is not in this file."
    elif coded is False:
        sub += " Names are NOT coded: code them with a key before this leaves the panel."
    ws.merge_range(1, 0, 1, ncol - 1, sub, F(italic=True, text_wrap=True, font_color="#404040"))
    ws.set_row(1, row_height(lines_needed(sub, sum(w for *_, w in COLUMNS), 1.1)))

    # Legend: one agency per row, in its colour, with its number of entries.
    r = 3
    ws.write(r, 0, "Colour key (agency)", F(bold=True))
    ws.write(r, 3, "Entries", F(bold=True))
    for name, es in groups.items():
        r += 1
        ws.merge_range(r, 0, r, 2, name, F(bg_color=colours[name][1], border=1, border_color="#808080",
                                           text_wrap=True))
        ds = [e for e in es if e.date is not None]
        when = f" ({shown_date(ds[0])} to {shown_date(ds[-1])})" if ds else ""
        ws.write(r, 3, f"{len(es)}{when}", F())
        ws.set_row(r, row_height(lines_needed(name, 31, 1.0)))
    header = r + 2
    assert header + 2 == first_entry_row(entries)  # the rows the summary points to are these
    head = F(bold=True, bg_color="#D9D9D9", border=1, text_wrap=True)
    for j, (_, h, _) in enumerate(COLUMNS):
        ws.write(header, j, h, head)
    ws.set_row(header, row_height(max(lines_needed(h, w, 1.0) for _, h, w in COLUMNS)))

    twins = C.possible_duplicates(entries)
    for i, e in enumerate(entries, header + 1):
        fill = colour_of[C.agency_key(e.agency)]
        same = twins.get(i - header - 1, [])
        cell = F(bg_color=fill, border=1, border_color="#A6A6A6", text_wrap=True)
        values = {"date": shown_date(e), "time": e.time, "family": C.with_ages(e.family, e.date, e.approximate, births),
                  "event": e.event,
                  "agency": agency_cell(e), "action": e.action, "child_seen": e.child_seen, "note": e.note,
                  "source": source_cell(e) + "".join(f"\nPossible duplicate of row {header + 2 + j} ({entries[j].agency})"
                                                     for j in same)}
        for j, (k, _, _) in enumerate(COLUMNS):
            if k == "date" and not e.approximate and e.date is not None:
                ws.write_datetime(i, j, dt.datetime.combine(e.date, dt.time()),
                                  F(bg_color=fill, border=1, border_color="#A6A6A6", num_format=DATE_FORMAT,
                                    align="left"))
            elif values[k]:
                ws.write_string(i, j, values[k], cell)
            else:
                ws.write_blank(i, j, None, cell)
        ws.set_row(i, row_height(max(lines_needed(values[k], w, 1.0) for k, _, w in COLUMNS)))
    last_row = header + len(entries)
    ws.freeze_panes(header + 1, 0)
    ws.autofilter(header, 0, last_row, ncol - 1)
    ws.print_area(0, 0, last_row, ncol - 1)
    _page(ws, case_name, [w for *_, w in COLUMNS], made, repeat_rows=header)

    wa = wb.add_worksheet(AGENCY_SHEET)
    heads = [("Agency", 28), ("Colour", 14), ("Entries", 9), ("First date", 14), ("Last date", 14), ("From", 40),
             ("Summary of themes (as sent)", 40)]
    for j, (h, w) in enumerate(heads):
        wa.write(0, j, h, head)
        wa.set_column(j, j, w)
    for i, (name, es) in enumerate(groups.items(), 1):
        ds = [e for e in es if e.date is not None]
        files = sorted({e.source_file for e in es})
        vals = [name, colours[name][0], len(es), shown_date(ds[0]) if ds else "", shown_date(ds[-1]) if ds else "",
                ", ".join(files), "\n".join(dict.fromkeys(e.summary for e in es if e.summary))]
        for j, v in enumerate(vals):
            fmt_ = F(border=1, text_wrap=True, bg_color=colours[name][1]) if j in (0, 1) else F(border=1, text_wrap=True)
            if isinstance(v, int):
                wa.write_number(i, j, v, fmt_)
            else:
                wa.write_string(i, j, v, fmt_)
        wa.set_row(i, row_height(max(lines_needed(str(v), w, 1.0) for v, (_, w) in zip(vals, heads))))
    wa.write_string(len(groups) + 1, 0, "Total", F(bold=True, border=1))
    wa.write_number(len(groups) + 1, 2, len(entries), F(bold=True, border=1))
    wa.freeze_panes(1, 0)
    _page(wa, case_name, [w for _, w in heads], made, repeat_rows=0)
    _timeline(wb, groups, colours, case_name, made, F)
    wb.close()


def _timeline(wb, groups: dict[str, list[Entry]], colours, case_name: str, made, F) -> None:
    """The Timeline sheet: entries per quarter by agency (a table, and a native stacked chart of
    it), so the panel sees when each agency was most involved. An approximate date counts in the
    quarter it starts."""
    seen = sorted({(e.date.year, (e.date.month - 1) // 3 + 1) for es in groups.values() for e in es if e.date})
    if not seen:
        return
    # every quarter from the first to the last, the empty ones too, so the chart's time is to scale
    first, last = seen[0][0] * 4 + seen[0][1] - 1, seen[-1][0] * 4 + seen[-1][1] - 1
    quarters = [(n // 4, n % 4 + 1) for n in range(first, last + 1)][:400]
    ws = wb.add_worksheet(TIMELINE_SHEET)
    names = list(groups)
    ws.write_string(0, 0, "Quarter", F(bold=True, border=1))
    for j, name in enumerate(names, 1):
        ws.write_string(0, j, name, F(bold=True, border=1, text_wrap=True, bg_color=colours[name][1]))
    for i, (y, q) in enumerate(quarters, 1):
        ws.write_string(i, 0, f"{y} Q{q}", F(border=1))
        for j, name in enumerate(names, 1):
            n = sum(1 for e in groups[name] if e.date and (e.date.year, (e.date.month - 1) // 3 + 1) == (y, q))
            ws.write_number(i, j, n, F(border=1))
    ws.set_column(0, 0, 10)
    ws.set_column(1, len(names), 12)
    ws.set_row(0, row_height(max(lines_needed(n, 12, 1.0) for n in names)))
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    for j, name in enumerate(names, 1):
        chart.add_series({"name": [TIMELINE_SHEET, 0, j], "categories": [TIMELINE_SHEET, 1, 0, len(quarters), 0],
                          "values": [TIMELINE_SHEET, 1, j, len(quarters), j],
                          "fill": {"color": colours[name][1]}, "border": {"color": "#7F7F7F"}})
    chart.set_title({"name": "Entries per quarter, by agency"})
    axis = {"num_format": "0", "min": 0}
    if max(len(v) for v in groups.values()) < 10:
        axis["major_unit"] = 1  # whole entries, not 0.5 steps
    chart.set_y_axis(axis)
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 900, "height": 420})
    ws.insert_chart(len(quarters) + 2, 0, chart)
    _page(ws, case_name, [10] + [12] * len(names), made, repeat_rows=0)


def _page(ws, case_name: str, widths, made: dt.date | None, *, repeat_rows: int):
    pages.setup(ws, title="Integrated chronology", case_name=case_name, widths=widths, landscape=True,
                made=f"Merged {fmt(made or dt.date.today())}", repeat_rows=repeat_rows)
