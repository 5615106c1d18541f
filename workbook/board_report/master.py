"""The master action record workbook (`scr report --master`): every action of the review with its
whole record, one block each, and the Chair's signature at the end (seed 001 §2.9). Values only,
A4 landscape fitted to the width; a block is never split between pages, so each printed page can
be initialled. The record is tracker.master's; the command is workbook.commands.report.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from tracker.excel_dates import DATE_FORMAT, fmt
from tracker.master import MasterAction, ready_to_sign
from tracker.text import plural
from workbook.xlsx import pages
from workbook.xlsx.crypto import readable
from workbook.xlsx.rows import lines_needed, row_height
from workbook.xlsx.writer import new_workbook

MASTER_SHEETS = ["Master action record"]
LABEL_W, VALUE_W = 25, 45  # label, value, label, value: 140 units fit a landscape page at about 96 %
WIDTHS = [LABEL_W, VALUE_W, LABEL_W, VALUE_W]
WIDE = VALUE_W * 2 + LABEL_W  # a value merged across the three right-hand columns
NOT_RECORDED = "not recorded"
GAP_PT = 8  # the space between two actions' blocks


def is_master(path: Path) -> bool:
    try:
        return openpyxl.load_workbook(readable(path), read_only=True).sheetnames == MASTER_SHEETS
    except Exception:
        return False


def _target(a: dict):
    if a.get("revised_target"):
        return f"{fmt(a['revised_target'])} (revised from {fmt(a['target'])})" if a.get("target") else a["revised_target"]
    return a.get("target")


def _block(m: MasterAction) -> list[tuple]:
    """An action's rows: ("wide", label, value) or ("pair", label, value, label, value)."""
    a = m.row
    board = f"{m.board_by} on {fmt(m.board_on)}" if m.board_by else ("signed off (who and when not in the Updates log)"
                                                                     if m.signed_off else "")
    return [
        ("wide", "Recommendation", a.get("recommendation")),
        ("wide", "Action (SMART)", a.get("action")),
        ("pair", "Agency", a.get("agency"), "Responsible individual", a.get("responsible")),
        ("pair", "Date agreed", a.get("agreed"), "Target date", _target(a)),
        ("pair", "Intended outcome", a.get("intended_outcome"), "How evaluated", a.get("evaluation")),
        ("pair", "Resources", a.get("resources"), "Status", a.get("status")),
        ("pair", "Evidence / progress", a.get("progress"), "BRAG", f"{m.word}: {m.reason}" if m.reason else m.word),
        ("wide", "Outcomes for children and families", a.get("outcomes")),
        ("pair", "Senior manager's sign-off", a.get("senior_sign_off"), "Signed copy received", a.get("signed_copy")),
        ("pair", "Evidence accepted by", a.get("evidence_by"), "Evidence accepted on", a.get("evidence_on")),
        ("pair", "Board sign-off", board, "Still to record", "; ".join(m.missing) or "nothing"),
    ]


def _height(line: tuple) -> float:
    if line[0] == "wide":
        texts = [(line[1], LABEL_W), (line[2], WIDE)]
    else:
        texts = [(line[1], LABEL_W), (line[2], VALUE_W), (line[3], LABEL_W), (line[4], VALUE_W)]
    return row_height(max(lines_needed(t, w, 1.0) for t, w in texts))


def write_master(path, case, actions: list[MasterAction]) -> None:
    wb = new_workbook(path)
    base = {"font_name": "Arial", "font_size": 10, "valign": "top", "text_wrap": True}
    F = lambda **kw: wb.add_format({**base, **kw})  # noqa: E731
    title, bold = F(bold=True, font_size=14, text_wrap=False), F(bold=True, text_wrap=False)
    head = F(bold=True, bg_color="#D9E1F2", border=1)
    label, value = F(bold=True, bg_color="#F2F2F2", border=1), F(border=1)
    date, gap = F(border=1, num_format=DATE_FORMAT, align="left"), F(border=1, italic=True, font_color="#7F7F7F")
    ws = wb.add_worksheet(MASTER_SHEETS[0])
    for j, w in enumerate(WIDTHS):
        ws.set_column(j, j, w)

    def put(r, c, v, last=None):
        fmt_ = date if isinstance(v, dt.date) else (gap if v in (None, "") else value)
        v = dt.datetime.combine(v, dt.time()) if isinstance(v, dt.date) else (NOT_RECORDED if v in (None, "") else v)
        if last is None:
            ws.write(r, c, v, fmt_)
        else:  # free text as text, never a formula: new_workbook's sheets write it so, merged or not
            ws.merge_range(r, c, r, last, v, fmt_)

    done = sum(m.signed_off for m in actions)
    ws.write(0, 0, f"Master action record — {case.case_name}", title)
    intro = (f"The permanent record of every action taken as a result of the review, as at {fmt(case.as_at)}: "
             f"{plural(len(actions), 'action')}, {done} signed off by the Board. For the Chair to sign on "
             "behalf of the Board. A field not recorded in the case's Action Plan is shown as 'not recorded'.")
    ws.merge_range(1, 0, 1, 3, intro, F())
    heights = {0: 20, 1: row_height(lines_needed(intro, sum(WIDTHS), 1.0))}
    ws.set_row(1, heights[1])
    blocks, r = [], 3
    for m in actions:
        top = r
        a = m.row
        ws.merge_range(r, 0, r, 3, f"Action {a.get('action_id') or ''} · Recommendation {a.get('rec_no') or ''} · "
                       f"{a.get('agency') or ''}", head)
        heights[r] = row_height(1)
        ws.set_row(r, heights[r])
        r += 1
        for line in _block(m):
            ws.write(r, 0, line[1], label)
            if line[0] == "wide":
                put(r, 1, line[2], last=3)
            else:
                put(r, 1, line[2])
                ws.write(r, 2, line[3], label)
                put(r, 3, line[4])
            heights[r] = _height(line)
            ws.set_row(r, heights[r])
            r += 1
        ws.set_row(r, GAP_PT)
        heights[r] = GAP_PT
        blocks.append((top, r))
        r += 1
    sign_top = r
    ready = ready_to_sign(actions)
    ws.merge_range(r, 0, r, 3, "Signed off by the Chair on behalf of the Board", bold)
    ws.merge_range(r + 1, 0, r + 1, 3, "Every action above is complete and its record is as shown." if ready else
                   "Not every action is signed off or fully recorded: see 'Still to record' in each block before "
                   "signing.", F(italic=not ready))
    for i, what in enumerate(("Signature", "Name", "Role", "Date")):
        row = r + 3 + i * 2
        ws.write(row, 0, what, bold)
        ws.write(row, 1, "", F(bottom=1))
        ws.set_row(row, 24)
        heights[row] = 24
    blocks.append((sign_top, r + 10))
    scale = pages.setup(ws, title="Master action record", case_name=f"Case {case.case_name}", widths=WIDTHS,
                        made=case.as_at, landscape=True) / 100
    ws.set_h_pagebreaks(_breaks(blocks, heights, pages.printable_height(True) / scale))
    wb.set_properties({"title": f"Master action record {case.case_name}", "category": pages.MARKING})
    wb.close()


def _breaks(blocks: list[tuple[int, int]], heights: dict[int, float], room: float) -> list[int]:
    """Page breaks so no block (an action, the signature) starts on one page and ends on the next;
    a block taller than a page runs on, as it must."""
    tall = lambda a, b: sum(heights.get(r, 15) for r in range(a, b))  # noqa: E731
    out, page_top = [], 0
    for top, end in blocks:
        if tall(page_top, end) > room and top > page_top:
            out.append(top)
            page_top = top
    return out
