"""The Board's progress report workbook: values only (no formulas, nothing that depends on the
add-in), with a native Excel chart, so it can be e-mailed and printed as it is; optionally also a
PDF through LibreOffice. The figures are tracker.progress's; `scr report` is workbook.commands.report.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
from workbook.xlsx.writer import new_workbook

from tracker import rag as ragmod
from tracker.errors import ScrError
from workbook.xlsx.crypto import readable
from tracker.excel_dates import fmt

REPORT_SHEETS = ["Summary", "Actions", "Changes", "History"]
COLOURS = {"Blue": "#5B9BD5", "Green": "#70AD47", "Amber": "#FFC000", "Red": "#C00000"}


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
    cell, wrap, date = F(border=1), F(border=1, text_wrap=True), F(border=1, num_format="dd/mm/yyyy", align="left")
    word = {w: F(border=1, bold=True, bg_color=c, font_color="#FFFFFF" if w in ("Blue", "Red") else "#000000")
            for w, c in COLOURS.items()}
    by_agency, by_rec = rollups(rows)
    agencies = list(by_agency.index)

    ws = wb.add_worksheet("Summary")
    ws.write(0, 0, f"Action plan progress — {case.case_name}", title)
    ws.write(1, 0, f"As at {fmt(case.as_at)}. Changes since "
             + (f"the last report ({fmt(since)})" if since else "the start") + f": {len(changes)} update(s).")
    ws.write(3, 0, "Whole review", bold)
    for i, w in enumerate(ragmod.RAG_WORDS):
        ws.write(4, i + 1, w, word[w])
        ws.write(5, i + 1, counts[w], cell)
    ws.write(4, 0, "BRAG", head)
    ws.write(5, 0, f"{len(rows)} actions", cell)
    r0 = 8
    ws.write(r0 - 1, 0, "By agency", bold)
    hdr = ["Agency", "Actions", *ragmod.RAG_WORDS, "Worst", "Overdue", "Ready for sign-off"]
    for j, h in enumerate(hdr):
        ws.write(r0, j, h, head)
    for i, (ag, rec) in enumerate(by_agency.iterrows()):
        vals = [ag, *[int(rec[h]) if h != "Worst" else rec[h] for h in hdr[1:]]]
        for j, v in enumerate(vals):
            ws.write(r0 + 1 + i, j, v, word.get(v, cell) if j == 6 else cell)
    chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for j, w in enumerate(ragmod.RAG_WORDS):
        chart.add_series({"name": w, "categories": ["Summary", r0 + 1, 0, r0 + len(agencies), 0],
                          "values": ["Summary", r0 + 1, 2 + j, r0 + len(agencies), 2 + j],
                          "fill": {"color": COLOURS[w]}, "data_labels": {"value": True, "num_format": "0;;;"}})
    chart.set_title({"name": "BRAG by agency"})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    ws.insert_chart(r0 + len(agencies) + 3, 0, chart, {"x_scale": 1.4, "y_scale": 1.1})
    r1 = r0 + len(agencies) + 22
    ws.write(r1 - 1, 0, "By recommendation", bold)
    for j, h in enumerate(["Rec no", "Actions", *ragmod.RAG_WORDS, "Worst", "Recommendation", "Agencies"]):
        ws.write(r1, j, h, head)
    for i, (rec, x) in enumerate(by_rec.iterrows()):
        vals = [rec, int(x["Actions"]), *[int(x[w]) for w in ragmod.RAG_WORDS], x["Worst"], x["Recommendation"], x["Agencies"]]
        for j, v in enumerate(vals):
            ws.write(r1 + 1 + i, j, v, word.get(v, wrap) if j == 6 else wrap)
    ws.set_column(0, 0, 30)
    ws.set_column(1, 8, 10)
    ws.set_column(7, 7, 34)
    ws.set_column(8, 8, 30)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)

    wa = wb.add_worksheet("Actions")
    cols = [("rec_no", "Rec no", 7), ("agency", "Agency", 18), ("action_id", "Action ID", 9), ("action", "Action", 40),
            ("responsible", "Responsible", 16), ("target_eff", "Target date", 11), ("status", "Status", 16),
            ("last_update", "Last update", 11), ("word", "BRAG", 8), ("reason", "Why", 36),
            ("overdue", "Overdue", 8), ("ready", "Ready for sign-off", 10)]
    for j, (_, h, w) in enumerate(cols):
        wa.write(0, j, h, head)
        wa.set_column(j, j, w)
    for i, r in enumerate(rows, 1):
        for j, (k, _, _) in enumerate(cols):
            v = r.get(k)
            if isinstance(v, dt.date):
                wa.write_datetime(i, j, dt.datetime.combine(v, dt.time()), date)
            elif isinstance(v, bool):
                wa.write(i, j, "yes" if v else "", cell)
            else:
                wa.write(i, j, "" if v is None else v, word.get(v, wrap) if k == "word" else wrap)
    wa.freeze_panes(1, 0)
    wa.repeat_rows(0)
    wa.set_landscape()
    wa.set_paper(9)
    wa.fit_to_pages(1, 0)

    wc = wb.add_worksheet("Changes")
    wc.write(0, 0, "Updates recorded since " + (fmt(since) if since else "the start"), bold)
    for j, h in enumerate(["Date of update", "Agency", "Action ID", "Status", "Evidence / progress", "Source"]):
        wc.write(1, j, h, head)
    for i, u in enumerate(sorted(changes, key=lambda u: u["date"]), 2):
        wc.write_datetime(i, 0, dt.datetime.combine(u["date"], dt.time()), date)
        for j, k in enumerate(("agency", "action_id", "status", "progress", "source"), 1):
            wc.write(i, j, str(u.get(k) or ""), wrap)
    for j, w in enumerate((12, 18, 9, 16, 60, 30)):
        wc.set_column(j, j, w)
    wc.set_landscape()
    wc.fit_to_pages(1, 0)

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
        hc.set_legend({"position": "bottom"})
        wh.insert_chart(1, 7, hc, {"x_scale": 1.3})
    wh.set_column(0, 0, 12)
    wb.set_properties({"title": f"Action plan progress {case.case_name}", "category": "OFFICIAL-SENSITIVE"})
    wb.close()
