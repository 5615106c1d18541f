"""What a document looks like printed: its PDF (LibreOffice), page count and smallest text.

``documents(folder)`` writes the four documents a board manager prints (the demo case workbook,
an agency update sheet, the Board report, a merged integrated chronology); ``measure(pdf)`` reads
the words' boxes with ``pdftotext -bbox`` and turns their heights into point sizes.

poppler's word box is the font's ascent to descent at the printed size: for the Liberation/Arial
family LibreOffice prints with, 1.30 x the font size (calibrated: Arial 8, 10 and 20 pt cells at 100 % give
10.39, 13.01 and 26.02 pt boxes). So a box under 8 x 1.30 pt is text printed smaller than 8 pt.

Run it by hand to look at the pages: ``uv run python tests/print_pages.py /tmp/pages`` writes the
PDFs and 60 dpi PNGs there and prints the figures.
"""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from dataclasses import dataclass
from html import unescape
from pathlib import Path

BOX_PER_PT = 1.30
TODAY = dt.date(2026, 12, 2)


@dataclass
class Printed:
    pages: int
    smallest_pt: float  # the smallest text on any page, in points as printed
    small_words: list[tuple[int, float, str]]  # (page, pt, word) under 8 pt
    text: list[str]  # each page's words, in reading order

    def __str__(self):
        return f"{self.pages} pages, smallest {self.smallest_pt:.1f} pt"


_PAGE = re.compile(r"<page\b[^>]*>(.*?)</page>", re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def measure(pdf: Path, below: float = 8.0) -> Printed:
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = _PAGE.findall(html)
    smallest, small, text = 99.0, [], []
    for n, page in enumerate(pages, 1):
        words = []
        for x0, y0, x1, y1, w in _WORD.findall(page):
            w = unescape(w)
            pt = (float(y1) - float(y0)) / BOX_PER_PT
            words.append(w)
            if not w.strip("_-–—.·•|"):  # rules and leaders are not text to read
                continue
            smallest = min(smallest, pt)
            if pt < below - 0.05:
                small.append((n, round(pt, 1), w))
        text.append(" ".join(words))
    return Printed(len(pages), round(smallest, 1), small, text)


# --------------------------------------------------------------------------- the documents


def documents(folder: Path) -> dict[str, Path]:
    """The demo case workbook, an update sheet, the Board report and a merged chronology."""
    sys.path.insert(0, str(Path(__file__).parent))
    from chronology_forms import BOLTON_ROWS, DURHAM_ROWS, POLICE_ROWS, bolton, durham, rotherham

    from workbook.commands.demo import run_demo
    from workbook.commands.issue_updates import issue_updates
    from workbook.commands.merge_chronologies import merge_files
    from workbook.commands.report import build_report

    folder = Path(folder)
    demo = run_demo(folder / "demo", TODAY)
    sheets = issue_updates(demo.path, folder / "updates", today=TODAY)
    report = build_report(demo.path, folder / "Board report.xlsx", today=TODAY)
    forms = folder / "chronologies"
    forms.mkdir(exist_ok=True)
    files = [rotherham(forms / "Police chronology.xlsx", POLICE_ROWS),
             bolton(forms / "Bolton chronology.xlsx", BOLTON_ROWS),
             durham(forms / "Durham chronology.xlsx", DURHAM_ROWS)]
    chron = folder / "Integrated chronology.xlsx"
    merge_files(chron, files, case_name="DEMO-01", today=TODAY)
    biggest = max((s.path for s in sheets), key=lambda p: p.stat().st_size)
    return {"case": demo.path, "update sheet": biggest, "report": Path(report.path), "chronology": chron}


def main(out: str) -> None:
    from libreoffice import convert, pdf_to_pngs

    import shutil

    out_dir = Path(out)
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    for name, path in documents(out_dir / "docs").items():
        pdf = convert(path, "pdf", out_dir / "pdf")
        pdf_to_pngs(pdf, out_dir / "png" / name.replace(" ", "-"), dpi=60)
        p = measure(pdf)
        print(f"{name}: {p}; small: {sorted(set((pt, w) for _, pt, w in p.small_words))[:12]}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main(sys.argv[1])
