"""The Board's progress report workbook: values only (no formulas, nothing that depends on the
add-in), with a native Excel chart, so it can be e-mailed and printed as it is; optionally also a
PDF through LibreOffice. The figures are tracker.progress's; `scr report` is workbook.commands.report.
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import openpyxl
import pandas as pd
from workbook.xlsx import pages
from workbook.xlsx.rows import lines_needed, row_height
from workbook.xlsx.writer import new_workbook

from tracker import rag as ragmod
from tracker.errors import ScrError
from workbook.xlsx.crypto import readable
from tracker.excel_dates import DATE_FORMAT, fmt
from tracker.text import plural

REPORT_SHEETS = ["Summary", "Actions", "Changes", "History"]
COLOURS = {"Blue": "#5B9BD5", "Green": "#70AD47", "Amber": "#FFC000", "Red": "#C00000"}
CHART_PX = (480, 288)  # XlsxWriter's chart size at scale 1
DEFAULT_ROW_PT = 15  # XlsxWriter's default row height (20 px)


def count_unit(top: int) -> int:
    """A whole-number axis step for counts up to `top` (never 0.5 of an action), about ten steps."""
    return max(1, math.ceil(top / 10))


def fit_rows(ws, first: int, values: list[list], widths: list[float]) -> list[float]:
    """Give each row the height its wrapped text needs in these column widths (spreadsheets do
    not grow rows written by XlsxWriter, so long text would print over the next row)."""
    heights = []
    for i, vals in enumerate(values):
        h = row_height(max((lines_needed(v, w, 1.1) for v, w in zip(vals, widths)), default=1))
        ws.set_row(first + i, h)
        heights.append(h)
    return heights


def is_report(path: Path) -> bool:
    try:
        return openpyxl.load_workbook(readable(path), read_only=True).sheetnames[:4] == REPORT_SHEETS
    except Exception:
        return False


def to_pdf(path: Path) -> Path:
    import shutil
    import subprocess
    import tempfile
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise ScrError("LibreOffice is not installed, so no PDF was made (the .xlsx report was).",
                       fix="Install LibreOffice, or print the .xlsx from Excel.")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(path.parent), str(path)], capture_output=True, timeout=180, check=False)
    pdf = path.with_suffix(".pdf")
    if not pdf.exists():
        raise ScrError("LibreOffice could not make the PDF.", file=path)
    return pdf


def rollups(rows: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """BRAG counts, worst word, overdue and ready-for-sign-off per agency and per recommendation."""
    cols = ["agency", "rec_no", "recommendation", "word", "overdue", "ready"]
    df = pd.DataFrame([{k: r.get(k) for k in cols} for r in rows], columns=cols)
    df["agency"] = df["agency"].fillna("").astype(str)
    df["rec_no"] = df["rec_no"].fillna("").astype(str)

    def table(key: str) -> pd.DataFrame:
        counts = pd.crosstab(df[key], df["word"]).reindex(columns=list(ragmod.RAG_WORDS), fill_value=0)
        g = df.groupby(key)
        out = pd.DataFrame({"Actions": g.size()}).join(counts).fillna(0)
        out["Worst"] = g["word"].agg(ragmod.worst)
        out["Overdue"] = g["overdue"].sum().astype(int)
        out["Ready for sign-off"] = g["ready"].sum().astype(int)
        out["Recommendation"] = g["recommendation"].first().fillna("").astype(str)
        out["Agencies"] = g["agency"].agg(lambda s: ", ".join(sorted(set(s))))
        return out.astype({w: int for w in ragmod.RAG_WORDS})

    by_agency = table("agency").sort_index()
    by_rec = table("rec_no")
    by_rec = by_rec.loc[sorted(by_rec.index, key=lambda s: (len(s), s))]
    return by_agency, by_rec


def write_report(path, case, rows, changes, since, dates, hist, counts):
    wb = new_workbook(path)
    base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
    F = lambda **kw: wb.add_format({**base, **kw})  # noqa: E731
    title, bold, head = F(bold=True, font_size=14), F(bold=True), F(bold=True, bg_color="#D9E1F2", border=1, text_wrap=True)
    cell, wrap, date = F(border=1), F(border=1, text_wrap=True), F(border=1, num_format=DATE_FORMAT, align="left")
    word = {w: F(border=1, bold=True, bg_color=c, font_color="#FFFFFF" if w in ("Blue", "Red") else "#000000")
            for w, c in COLOURS.items()}
    by_agency, by_rec = rollups(rows)
    agencies = list(by_agency.index)
    made = f"As at {fmt(case.as_at)}"

    def page(sheet, title, widths, **kw):
        return pages.setup(sheet, title=title, case_name=f"Case {case.case_name}", widths=widths, made=made,
                           landscape=True, **kw)

    ws = wb.add_worksheet("Summary")
    ws.write(0, 0, f"Action plan progress — {case.case_name}", title)
    ws.write(1, 0, f"As at {fmt(case.as_at)}. Changes since "
             + (f"the last report ({fmt(since)})" if since else "the start") + f": {plural(len(changes), 'update')}.")
    ws.write(3, 0, "Whole review", bold)
    for i, w in enumerate(ragmod.RAG_WORDS):
        ws.write(4, i + 1, w, word[w])
        ws.write(5, i + 1, counts[w], cell)
    ws.write(4, 0, "BRAG", head)
    ws.write(5, 0, f"{len(rows)} actions", cell)
    r0 = 8
    ws.write(r0 - 1, 0, "By agency", bold)
    widths = [30, 9, 9, 9, 9, 9, 9, 34, 30]
    hdr = ["Agency", "Actions", *ragmod.RAG_WORDS, "Worst", "Overdue", "Ready for sign-off"]
    for j, h in enumerate(hdr):
        ws.write(r0, j, h, head)
    heights = {r0: row_height(max(lines_needed(h, w, 1.0) for h, w in zip(hdr, widths)))}
    ws.set_row(r0, heights[r0])
    ag_rows = []
    for i, (ag, rec) in enumerate(by_agency.iterrows()):
        vals = [ag, *[int(rec[h]) if h != "Worst" else rec[h] for h in hdr[1:]]]
        ag_rows.append(vals)
        for j, v in enumerate(vals):
            ws.write(r0 + 1 + i, j, v, word.get(v, cell) if j == 6 else wrap)
    heights.update(zip(range(r0 + 1, r0 + 1 + len(ag_rows)), fit_rows(ws, r0 + 1, ag_rows, widths)))
    chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for j, w in enumerate(ragmod.RAG_WORDS):
        chart.add_series({"name": w, "categories": ["Summary", r0 + 1, 0, r0 + len(agencies), 0],
                          "values": ["Summary", r0 + 1, 2 + j, r0 + len(agencies), 2 + j],
                          "fill": {"color": COLOURS[w]}, "data_labels": {"value": True, "num_format": "0;;;"}})
    chart.set_title({"name": "BRAG by agency"})
    chart.set_y_axis({"reverse": True})
    most = int(by_agency["Actions"].max()) if len(by_agency) else 1
    chart.set_x_axis({"major_unit": count_unit(most), "num_format": "0"})
    chart.set_legend({"position": "bottom"})
    chart_row, y_scale = r0 + len(agencies) + 3, 1.1
    ws.insert_chart(chart_row, 0, chart, {"x_scale": 1.4, "y_scale": y_scale})
    chart_pt = CHART_PX[1] * y_scale * 0.75
    chart_rows = math.ceil(chart_pt / DEFAULT_ROW_PT) + 2
    r1 = chart_row + chart_rows
    ws.write(r1 - 1, 0, "By recommendation", bold)
    rec_head = ["Rec no", "Actions", *ragmod.RAG_WORDS, "Worst", "Recommendation", "Agencies"]
    for j, h in enumerate(rec_head):
        ws.write(r1, j, h, head)
    ws.set_row(r1, row_height(max(lines_needed(h, w, 1.0) for h, w in zip(rec_head, widths))))
    rec_rows = []
    for i, (rec, x) in enumerate(by_rec.iterrows()):
        vals = [rec, int(x["Actions"]), *[int(x[w]) for w in ragmod.RAG_WORDS], x["Worst"], x["Recommendation"], x["Agencies"]]
        rec_rows.append(vals)
        for j, v in enumerate(vals):
            ws.write(r1 + 1 + i, j, v, word.get(v, wrap) if j == 6 else wrap)
    heights.update(zip(range(r1 + 1, r1 + 1 + len(rec_rows)), fit_rows(ws, r1 + 1, rec_rows, widths)))
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    scale = page(ws, "Action plan progress", widths) / 100
    # A chart is never split between pages: start a new page at it when it would not fit below the tables.
    # Nor is a heading left at the foot of a page: "By recommendation" starts a page if its table would not fit.
    room = pages.printable_height(True) / scale
    tall = lambda a, b: sum(heights.get(r, DEFAULT_ROW_PT) for r in range(a, b))  # noqa: E731
    breaks, top = [], 0
    if tall(0, chart_row) + chart_pt > room:
        breaks, top = [chart_row], chart_row
    if tall(top, r1 + 1 + len(rec_rows)) > room:  # the chart stands on rows of default height
        breaks.append(r1 - 1)
    if breaks:
        ws.set_h_pagebreaks(breaks)

    wa = wb.add_worksheet("Actions")
    # Narrow enough to print across one landscape page at a readable size (workbook.xlsx.pages).
    cols = [("rec_no", "Rec no", 6), ("agency", "Agency", 15), ("action_id", "Action ID", 8), ("action", "Action", 28),
            ("responsible", "Responsible", 14), ("target_eff", "Target date", 10.5), ("status", "Status", 14),
            ("last_update", "Last update", 10.5), ("word", "BRAG", 7), ("reason", "Why", 27),
            ("overdue", "Overdue", 8), ("ready", "Ready for sign-off", 9)]
    for j, (_, h, w) in enumerate(cols):
        wa.write(0, j, h, head)
        wa.set_column(j, j, w)
    wa.set_row(0, row_height(max(lines_needed(h, w, 1.0) for _, h, w in cols)))
    for i, r in enumerate(rows, 1):
        for j, (k, _, _) in enumerate(cols):
            v = r.get(k)
            if isinstance(v, dt.date):
                wa.write_datetime(i, j, dt.datetime.combine(v, dt.time()), date)
            elif isinstance(v, bool):
                wa.write(i, j, "yes" if v else "", cell)
            else:
                wa.write(i, j, "" if v is None else v, word.get(v, wrap) if k == "word" else wrap)
    fit_rows(wa, 1, [[r.get(k) for k, _, _ in cols] for r in rows], [w for *_, w in cols])
    wa.freeze_panes(1, 0)
    page(wa, "Actions", [w for *_, w in cols], repeat_rows=0)

    wc = wb.add_worksheet("Changes")
    wc.write(0, 0, "Updates recorded since " + (fmt(since) if since else "the start"), bold)
    for j, h in enumerate(["Date of update", "Agency", "Action ID", "Status", "Evidence / progress", "Source"]):
        wc.write(1, j, h, head)
    wc.set_row(1, row_height(2))
    ch_widths = (12, 18, 9, 16, 60, 30)
    ch_rows = []
    for i, u in enumerate(sorted(changes, key=lambda u: u["date"]), 2):
        wc.write_datetime(i, 0, dt.datetime.combine(u["date"], dt.time()), date)
        vals = [str(u.get(k) or "") for k in ("agency", "action_id", "status", "progress", "source")]
        ch_rows.append([None, *vals])
        for j, v in enumerate(vals, 1):
            wc.write(i, j, v, wrap)
    fit_rows(wc, 2, ch_rows, list(ch_widths))
    for j, w in enumerate(ch_widths):
        wc.set_column(j, j, w)
    page(wc, "Changes", list(ch_widths), repeat_rows=1)

    wh = wb.add_worksheet("History")
    wh.write(0, 0, "BRAG at each month end", bold)
    for j, h in enumerate(["As at", *ragmod.RAG_WORDS]):
        wh.write(1, j, h, head)
    for i, d in enumerate(dates, 2):
        wh.write_datetime(i, 0, dt.datetime.combine(d, dt.time()), date)
        for j, w in enumerate(ragmod.RAG_WORDS, 1):
            wh.write(i, j, hist[d][w], cell)
    if dates:
        hc = wb.add_chart({"type": "column", "subtype": "stacked"})
        for j, w in enumerate(ragmod.RAG_WORDS, 1):
            hc.add_series({"name": w, "categories": ["History", 2, 0, 1 + len(dates), 0],
                           "values": ["History", 2, j, 1 + len(dates), j], "fill": {"color": COLOURS[w]}})
        hc.set_title({"name": "BRAG over time"})
        hc.set_x_axis({"date_axis": False, "num_format": "mmm yy"})
        top = max(sum(hist[d][w] for w in ragmod.RAG_WORDS) for d in dates)
        hc.set_y_axis({"major_unit": count_unit(top), "num_format": "0"})
        hc.set_legend({"position": "bottom"})
        # Beside the table, within one landscape page's width, at the top: never split over two pages.
        wh.insert_chart(1, len(ragmod.RAG_WORDS) + 2, hc, {"x_scale": 1.2})
    hist_widths = [12] + [9] * len(ragmod.RAG_WORDS) + [3]
    for j, w in enumerate(hist_widths):
        wh.set_column(j, j, w)
    chart_w = CHART_PX[0] * 1.2 / 7  # the chart's width in column units, so the page rule counts it
    page(wh, "BRAG history", hist_widths + ([chart_w] if dates else []), repeat_rows=1)
    wb.set_properties({"title": f"Action plan progress {case.case_name}", "category": "OFFICIAL-SENSITIVE"})
    wb.close()
