"""The board's portfolio workbook: every review at once, values only (no formulas, nothing that
needs the add-in), printable on A4 landscape with the marking and "Page x of y", and a native chart
on the Annual report. The figures are tracker.portfolio's; `scr portfolio` is
workbook.commands.portfolio. Free text (case names, actions, file names) is only ever text
(workbook.xlsx.writer), so a case name typed as a formula cannot become one here.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from tracker import rag as ragmod
from tracker.excel_dates import DATE_FORMAT, fmt
from tracker.portfolio import (MAX_THEMES, Review, annual_report, by_year, durations, months, themes, timeliness,
                               too_many_themes)
from workbook.board_report.write import COLOURS, count_unit, fit_rows
from workbook.xlsx import pages
from workbook.xlsx.crypto import readable
from workbook.xlsx.rows import lines_needed, row_height
from workbook.xlsx.writer import new_workbook

REVIEWS, TIMESCALES, LEARNING, THEMES, ACTIONS, TIMELINESS, ANNUAL, PLAN, NOT_READ = (
    "Reviews", "Timescales", "Learning", "Themes", "Actions", "Timeliness", "Annual report", "Business Plan", "Not read")
SHEETS = [REVIEWS, TIMESCALES, LEARNING, THEMES, ACTIONS, TIMELINESS, ANNUAL, PLAN, NOT_READ]
TITLE = "Board portfolio of reviews"

# (header, width); the widths fit one landscape page at a readable scale (workbook.xlsx.pages).
REVIEW_COLS = [("Code name", 11), ("Kind of review", 14), ("Profile", 10), ("Day 0", 10.5), ("Notified", 10.5),
               ("Stage (last done)", 11), ("Next milestone", 13), ("Next due", 10.5), ("Overdue milestones", 10.5),
               ("Returns outstanding", 12), *[(w, 5.5) for w in ragmod.RAG_WORDS], ("Status", 9.5), ("File", 11)]
ACTION_COLS = [("Review", 10), ("Rec no", 5), ("Recommendation", 19), ("Agency", 13), ("Action ID", 7),
               ("Action", 25), ("Target date", 10.5), ("Status", 13), ("BRAG", 7), ("Last update", 10.5),
               ("Evidence / progress", 19), ("Overdue", 7.5), ("Ready for sign-off", 8)]
TIME_COLS = [("Profile", 18), ("Review type", 34), ("Reviews", 9), ("Milestones done on time", 11),
             ("Milestones done late", 11), ("% on time", 9), ("Days late (total)", 10), ("Days late (average)", 10),
             ("Overdue now", 9)]
ANNUAL_COLS = [("Kind of review", 40), ("Started in the year", 11), ("Completed in the year", 11),
               ("Published in the year", 11)]
_ANNUAL_LABELS = ("Signed off in the year (last update in the year)",
                  "Outstanding (not signed off) at {}: for the Business Plan")
SCALE_COLS = [("Code name", 11), ("Kind of review", 20), ("Day 0", 10.5), ("Rapid review done", 10.5),
              ("Within 15 working days", 9), ("Original end date", 10.5), ("Extensions", 10.5), ("Extension days", 9),
              ("Agreed by, on", 22), ("Completed", 10.5), ("Days taken", 8), ("Months taken", 8), ("Slippage (days)", 9)]
LEARNING_COLS = [("Code name", 11), ("Kind of review", 20), ("Status", 9.5), ("Published", 10.5),
                 ("Publication link", 28), ("Themes", 28), ("Seven-minute briefing", 40)]
THEME_COLS = [("Theme", 30), ("On the board's list", 9), ("Reviews", 8), ("Recommendations", 16),
              ("The reviews", 60)]
YEAR_COLS = [("Year (of Day 0)", 10), ("Reviews", 8), ("Rapid reviews done", 10), ("Within 15 working days", 10),
             ("% within 15 working days", 10), ("Completed", 9), ("Average months", 9), ("Published", 9),
             ("Average months to publication", 12), ("Extension days", 9), ("Average slippage (days)", 10)]
DURATION_COLS = [("Kind of review", 18), ("Reviews", 8), ("Completed", 9), ("Shortest (months)", 10),
                 ("Average (months)", 10), ("Longest (months)", 10), ("Published", 9),
                 ("Day 0 to publication (months)", 13)]
PLAN_COLS = [("Review", 11), ("Rec no", 6), ("Recommendation", 26), ("Agency", 15), ("Action ID", 8),
             ("Action", 34), ("Target date", 10.5), ("BRAG", 8), ("Last update", 10.5), ("Overdue", 8)]
NOT_READ_COLS = [("File", 40), ("Why it was not read", 95)]


def is_portfolio(path: Path) -> bool:
    try:
        names = openpyxl.load_workbook(readable(path), read_only=True).sheetnames
    except Exception:
        return False
    # Reviews first and Not read last, as every portfolio so far: one made before a sheet was added is still ours
    return len(names) >= 2 and names[0] == REVIEWS and names[-1] == NOT_READ and set(names) <= set(SHEETS)


def write_portfolio(path, reviews: list[Review], not_read: list[tuple[str, str]], *, as_at: dt.date, year: str,
                    board_themes=()):
    """``not_read``: (file, reason) for every file found that is not in the portfolio."""
    wb = new_workbook(path)
    base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
    F = lambda **kw: wb.add_format({**base, **kw})  # noqa: E731
    f = {"title": F(bold=True, font_size=14), "bold": F(bold=True), "wrap": F(border=1, text_wrap=True),
         "head": F(bold=True, bg_color="#D9E1F2", border=1, text_wrap=True), "cell": F(border=1),
         "date": F(border=1, num_format=DATE_FORMAT, align="left"), "total": F(border=1, bold=True)}
    f["word"] = {w: F(border=1, bold=True, bg_color=c, font_color="#FFFFFF" if w in ("Blue", "Red") else "#000000")
                 for w, c in COLOURS.items()}
    made = f"As at {fmt(as_at)}"

    def page(ws, title, cols, **kw):
        return pages.setup(ws, title=title, case_name=TITLE, widths=[w for _, w in cols], made=made,
                           landscape=True, **kw)

    _reviews(wb.add_worksheet(REVIEWS), reviews, f, page)
    _timescales(wb.add_worksheet(TIMESCALES), reviews, f, page)
    _learning(wb.add_worksheet(LEARNING), reviews, f, page)
    _themes(wb.add_worksheet(THEMES), reviews, board_themes, f, page)
    _actions(wb.add_worksheet(ACTIONS), reviews, f, page)
    _timeliness(wb.add_worksheet(TIMELINESS), reviews, f, page)
    annual = annual_report(reviews, year)
    _annual(wb, wb.add_worksheet(ANNUAL), annual, as_at, f, page)
    _business_plan(wb.add_worksheet(PLAN), annual, as_at, f, page)
    _not_read(wb.add_worksheet(NOT_READ), not_read, f, page)
    wb.set_properties({"title": TITLE, "category": pages.MARKING})
    wb.close()


def _header(ws, row: int, cols, f, widths: bool = True):
    for j, (h, w) in enumerate(cols):
        ws.write(row, j, h, f["head"])
        if widths:  # a sheet of several tables sets its columns once, to the widest (_timeliness)
            ws.set_column(j, j, w)
    ws.set_row(row, row_height(max(lines_needed(h, w, 1.0) for h, w in cols)))


def _put(ws, row: int, col: int, v, f, style=None):
    if isinstance(v, dt.date):
        ws.write_datetime(row, col, dt.datetime.combine(v, dt.time()), f["date"])
    elif isinstance(v, bool):
        ws.write(row, col, "yes" if v else "", f["cell"])
    else:
        ws.write(row, col, "" if v is None else v, style or f["wrap"])


def _reviews(ws, reviews: list[Review], f, page):
    ws.write(0, 0, f"{TITLE}: {len(reviews)} review{'s' if len(reviews) != 1 else ''}", f["title"])
    _header(ws, 2, REVIEW_COLS, f)
    rows = []
    for i, r in enumerate(_ordered(reviews), 3):
        file = r.file + (f" ({r.note})" if r.note else "")
        vals = [r.code, r.kind, r.profile_id, r.day0, r.notified, r.stage, r.next_label, r.next_due, r.overdue,
                r.returns_outstanding, *[r.brag[w] for w in ragmod.RAG_WORDS], r.status, file]
        rows.append(vals)
        for j, v in enumerate(vals):
            _put(ws, i, j, v, f, f["cell"] if isinstance(v, int) else None)
    fit_rows(ws, 3, rows, [w for _, w in REVIEW_COLS])
    ws.freeze_panes(3, 1)
    page(ws, "Reviews", REVIEW_COLS, repeat_rows=2)


def _ordered(reviews: list[Review]) -> list[Review]:
    return sorted(reviews, key=lambda r: (r.day0, r.code))


def _table(ws, first: int, cols, rows: list[list], f, integers=(), widths: bool = True):
    _header(ws, first - 1, cols, f, widths)
    for i, vals in enumerate(rows, first):
        for j, v in enumerate(vals):
            _put(ws, i, j, "-" if v is None and j in integers else v, f, f["cell"] if j in integers else None)
    fit_rows(ws, first, rows, [w for _, w in cols])


def _timescales(ws, reviews: list[Review], f, page):
    ws.write(0, 0, "Review timescales: the rapid review, extensions agreed, and time taken against the "
             "original dates", f["title"])
    rows = [[r.code, r.kind, r.day0, r.rapid_review,
             None if r.rapid_on_time is None else ("yes" if r.rapid_on_time else "no"), r.original_end,
             r.extensions, r.extension_days, "; ".join(r.agreed), r.completed, r.days_taken, months(r.days_taken),
             r.slippage] for r in _ordered(reviews)]
    _table(ws, 3, SCALE_COLS, rows, f, integers={6, 7, 10, 11, 12})
    # One line each: a longer one would run past the printed page (text is not clipped at the page edge, it is lost)
    ws.write(len(rows) + 4, 0, "Extensions: milestones whose Override is later than the profile's date, and the days added.")
    ws.write(len(rows) + 5, 0, "Agreed by, on: who agreed each extension and when, as `scr extend` recorded it in the case.")
    ws.write(len(rows) + 6, 0, "Slippage: completion (or today, if still open after it) against the original end date.")
    ws.freeze_panes(3, 1)
    page(ws, "Timescales", SCALE_COLS, repeat_rows=2)


def _learning(ws, reviews: list[Review], f, page):
    ws.write(0, 0, "Publication and learning: themes and the seven-minute briefing of each review", f["title"])
    rows = [[r.code, r.kind, r.status, r.published, r.link, "; ".join(r.themes), r.briefing]
            for r in _ordered(reviews)]
    _table(ws, 3, LEARNING_COLS, rows, f)
    ws.freeze_panes(3, 1)
    page(ws, "Learning", LEARNING_COLS, repeat_rows=2)


def _themes(ws, reviews: list[Review], board_themes, f, page):
    rows = themes(reviews, board_themes)
    ws.write(0, 0, "Themes across all reviews (of a review: Settings; of a recommendation: Action Plan)", f["title"])
    data = [[t["theme"], "yes" if t["listed"] else "NOT ON THE LIST", len(t["reviews"]), t["recommendations"],
             ", ".join(t["reviews"])] for t in rows]
    _table(ws, 3, THEME_COLS, data, f, integers={2, 3})
    over = too_many_themes(reviews)
    if over:
        ws.write(len(data) + 4, 0, f"More than {MAX_THEMES} themes given for: {', '.join(over)}. The national "
                 f"tracker takes up to {MAX_THEMES}: choose the main ones on the case's Settings sheet.", f["bold"])
    page(ws, "Themes", THEME_COLS, repeat_rows=2)


def _actions(ws, reviews: list[Review], f, page):
    keys = ["review", "rec_no", "recommendation", "agency", "action_id", "action", "target_eff", "status", "word",
            "last_update", "progress", "overdue", "ready"]
    actions = [a for r in _ordered(reviews) for a in r.actions]
    data = [[a.get(k) for k in keys] for a in actions]
    widths = [w for _, w in ACTION_COLS]
    # An Excel table, so every column has its filter (by review, agency, BRAG, overdue...).
    columns = [{"header": h, "format": f["date"] if k in ("target_eff", "last_update") else f["wrap"]}
               for (h, _), k in zip(ACTION_COLS, keys)]
    last = max(len(data), 1)  # a table needs a row under its headers, even an empty one
    ws.add_table(0, 0, last, len(keys) - 1, {"name": "PortfolioActions", "columns": columns, "style": "Table Style Light 1",
                                             "autofilter": True})
    _header(ws, 0, ACTION_COLS, f)
    for i, vals in enumerate(data, 1):
        for j, (k, v) in enumerate(zip(keys, vals)):
            _put(ws, i, j, v, f, f["word"].get(v) if k == "word" else None)
    fit_rows(ws, 1, data, widths)
    ws.freeze_panes(1, 0)
    page(ws, "Recommendations and actions of all reviews", ACTION_COLS, repeat_rows=0)


def _timeliness(ws, reviews: list[Review], f, page):
    ws.write(0, 0, "Timeliness by profile: milestones done against their due dates", f["title"])
    _header(ws, 2, TIME_COLS, f)
    rows = timeliness(reviews)
    for i, t in enumerate(rows, 3):
        done_late = t["late"]
        vals = [t["profile"], t["review_type"], t["reviews"], t["on_time"], done_late,
                t["on_time_pct"] if t["on_time_pct"] is not None else "-", t["days_late"],
                round(t["days_late"] / done_late, 1) if done_late else "-", t["overdue"]]
        for j, v in enumerate(vals):
            _put(ws, i, j, v, f, f["cell"] if j >= 2 else None)
    fit_rows(ws, 3, [[t["profile"], t["review_type"]] for t in rows], [w for _, w in TIME_COLS])
    row = len(rows) + 5
    ws.write(row, 0, "By year of Day 0 (April to March): rapid reviews within 15 working days, duration, "
             "publication, extensions and slippage", f["bold"])
    years = [[y["year"], y["reviews"], y["rapid_done"], y["rapid_within"], y["rapid_pct"], y["completed"], y["months"],
              y["published"], y["to_publication"], y["extension_days"], y["slippage"]] for y in by_year(reviews)]
    _table(ws, row + 2, YEAR_COLS, years, f, integers=set(range(1, 11)), widths=False)
    row += 3 + len(years) + 1
    ws.write(row, 0, "Duration in months (Day 0 to the last milestone done) and time to publication, by kind of "
             "review", f["bold"])
    kinds = [[d["kind"], d["reviews"], d["completed"], d["shortest"], d["average"], d["longest"], d["published"],
              d["to_publication"]] for d in durations(reviews)]
    _table(ws, row + 2, DURATION_COLS, kinds, f, integers=set(range(1, 8)), widths=False)
    tables = (TIME_COLS, YEAR_COLS, DURATION_COLS)
    widest = [max(c[j][1] for c in tables if j < len(c)) for j in range(max(map(len, tables)))]
    for j, w in enumerate(widest):
        ws.set_column(j, j, w)
    page(ws, "Timeliness", [(None, w) for w in widest])


def _annual(wb, ws, a: dict, as_at: dt.date, f, page):
    ws.write(0, 0, f"Annual report {a['year']}: {fmt(a['from'])} to {fmt(a['to'])}", f["title"])
    ws.write(1, 0, "Reviews started (Day 0), completed (every milestone done) and published in the year, by kind.")
    _header(ws, 3, ANNUAL_COLS, f)
    for i, t in enumerate(a["by_type"], 4):
        ws.write(i, 0, t["review_type"], f["wrap"])
        ws.write(i, 1, t["started"], f["cell"])
        ws.write(i, 2, t["completed"], f["cell"])
        ws.write(i, 3, t["published"], f["cell"])
    total = 4 + len(a["by_type"])
    ws.write(total, 0, "All reviews", f["total"])
    ws.write(total, 1, a["started"], f["total"])
    ws.write(total, 2, a["completed"], f["total"])
    ws.write(total, 3, a["published"], f["total"])
    fit_rows(ws, 4, [[t["review_type"]] for t in a["by_type"]], [ANNUAL_COLS[0][1]])
    act = total + 2
    ws.write(act, 0, "Actions of all reviews", f["bold"])
    ws.write(act + 1, 0, _ANNUAL_LABELS[0], f["wrap"])
    ws.write(act + 1, 1, a["actions_completed"], f["cell"])
    ws.write(act + 2, 0, _ANNUAL_LABELS[1].format(fmt(as_at)), f["wrap"])
    ws.write(act + 2, 1, a["actions_outstanding"], f["cell"])
    for r in (act + 1, act + 2):  # the labels wrap in their column: the row grows to show them whole
        ws.set_row(r, row_height(lines_needed(_ANNUAL_LABELS[r - act - 1], ANNUAL_COLS[0][1], 1.0)))
    if a["by_type"]:
        chart = wb.add_chart({"type": "column"})
        for j, (name, colour) in enumerate((("Started", COLOURS["Blue"]), ("Completed", COLOURS["Green"]),
                                                   ("Published", COLOURS["Amber"])), 1):
            chart.add_series({"name": [ANNUAL, 3, j], "categories": [ANNUAL, 4, 0, total - 1, 0],
                              "values": [ANNUAL, 4, j, total - 1, j], "fill": {"color": colour},
                              "data_labels": {"value": True, "num_format": "0;;;"}})
        chart.set_title({"name": f"Reviews {a['year']} by type"})
        top = max([t[k] for t in a["by_type"] for k in ("started", "completed", "published")] + [1])
        chart.set_y_axis({"major_unit": count_unit(top), "num_format": "0", "min": 0})
        chart.set_legend({"position": "bottom"})
        # Below the tables, within one landscape page: a chart is never split between pages.
        ws.insert_chart(act + 4, 0, chart, {"x_scale": 1.3, "y_scale": 1.0})
    page(ws, "Annual report", ANNUAL_COLS + [("", 2)], one_page=True)


def _business_plan(ws, a: dict, as_at: dt.date, f, page):
    """The actions not yet signed off, carried into the Business Plan (seed 001 §2.9), overdue first."""
    rows = sorted(a["outstanding"], key=lambda x: (not x.get("overdue"), x.get("target_eff") or dt.date.max,
                                                   str(x.get("review")), str(x.get("action_id"))))
    ws.write(0, 0, f"Outstanding actions at {fmt(as_at)} for the Business Plan: {len(rows)}", f["title"])
    data = [[x.get("review"), x.get("rec_no"), x.get("recommendation"), x.get("agency"), x.get("action_id"),
             x.get("action"), x.get("target_eff"), x.get("word"), x.get("last_update"), bool(x.get("overdue"))]
            for x in rows]
    _header(ws, 2, PLAN_COLS, f)
    for i, vals in enumerate(data, 3):
        for j, v in enumerate(vals):
            _put(ws, i, j, v, f, f["word"].get(v) if j == 7 else None)
    fit_rows(ws, 3, data, [w for _, w in PLAN_COLS])
    ws.freeze_panes(3, 0)
    page(ws, "Business Plan", PLAN_COLS, repeat_rows=2)


def _not_read(ws, not_read: list[tuple[str, str]], f, page):
    ws.write(0, 0, f"Files not read: {len(not_read)}" if not_read else "Every workbook found was read.", f["title"])
    _header(ws, 2, NOT_READ_COLS, f)
    for i, (file, why) in enumerate(not_read, 3):
        ws.write(i, 0, file, f["wrap"])
        ws.write(i, 1, why, f["wrap"])
    fit_rows(ws, 3, [list(x) for x in not_read], [w for _, w in NOT_READ_COLS])
    page(ws, "Not read", NOT_READ_COLS, repeat_rows=2)
