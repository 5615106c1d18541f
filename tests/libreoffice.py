"""LibreOffice headless as an independent spreadsheet oracle, for tests and benchmarks.

Import it from a test as ``from libreoffice import recalc`` (pytest puts ``tests/`` on
``sys.path``), or from a benchmark run at the repository root as
``from tests.libreoffice import recalc``.

Every call gets its own throw-away user profile (``-env:UserInstallation``), so calls never
hand their work to another running instance, and a module-level lock serialises calls within
one process (LibreOffice is slow to start and the machines have two cores).

Two kinds of profile, verified against LibreOffice 7.4:

* ``recalc=True`` sets ``/org.openoffice.Office.Calc/Formula/Load`` ``OOXMLRecalcMode`` and
  ``ODFRecalcMode`` to ``0``, which means *always recalculate on load*. (``1`` = never, which is
  LibreOffice's shipped default; ``2`` = ask, which in headless mode makes the load fail with
  "source file could not be loaded".)
* ``recalc=False`` leaves every Calc setting at LibreOffice's defaults, i.e. cached values in
  the file are shown as they are. (Formula cells *without* any cached value are still computed
  on load either way.)

Both profiles set the locale to ``en-GB`` by default (dates without an explicit format show as
dd/mm/yyyy, as for an English board manager); pass ``locale=None`` for an untouched profile.

Conversions run with a timeout and raise :class:`LibreOfficeError` carrying LibreOffice's
stdout/stderr when they fail. Note that ``soffice --convert-to`` exits 0 even when the
conversion failed, so success is judged by the output file being there.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

import openpyxl

__all__ = [
    "DEFAULT_TIMEOUT",
    "LibreOfficeError",
    "LibreOfficeMissing",
    "cached_values",
    "convert",
    "csv_filter",
    "csv_sheets",
    "pdf_pages",
    "pdf_to_pngs",
    "read_csv",
    "recalc",
    "require_soffice",
    "soffice_available",
    "soffice_version",
    "write_profile",
]

DEFAULT_TIMEOUT = 120.0
INSTALL_HINT = "install it with: apt-get install -y libreoffice-calc-nogui poppler-utils"

_LOCK = threading.Lock()

# Filter names for --convert-to "ext:Filter Name:options".
_XLSX_FILTER = "Calc MS Excel 2007 XML"
_PDF_FILTER = "calc_pdf_Export"
_CSV_FILTER = "Text - txt - csv (StarCalc)"


class LibreOfficeError(RuntimeError):
    """A LibreOffice (or poppler) run that failed; the message carries its output."""


class LibreOfficeMissing(LibreOfficeError):
    """soffice / pdftoppm is not installed."""


# --------------------------------------------------------------------------- availability


def _soffice() -> str | None:
    return shutil.which("soffice") or (
        "/usr/bin/soffice" if Path("/usr/bin/soffice").exists() else None
    )


def soffice_available() -> bool:
    """True when a ``soffice`` executable is on this machine."""
    return _soffice() is not None


def require_soffice() -> str:
    """Path of ``soffice``, or :class:`LibreOfficeMissing` with the install command."""
    exe = _soffice()
    if exe is None:
        raise LibreOfficeMissing(
            "LibreOffice (soffice) is not installed, and the tests use it as the spreadsheet "
            f"oracle; {INSTALL_HINT} (.ci/run does this)"
        )
    return exe


def _require_tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise LibreOfficeMissing(f"{name} (poppler-utils) is not installed; {INSTALL_HINT}")
    return exe


def soffice_version() -> str:
    """E.g. ``"LibreOffice 7.4.7.2 40(Build:2)"``."""
    out = _run([require_soffice(), "--version"], timeout=60, what="soffice --version")
    return out.stdout.strip()


# --------------------------------------------------------------------------- profile

_XCU_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
)
_XCU_ITEM = (
    '<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
    "<value>{value}</value></prop></item>\n"
)

# 0 = always recalculate on load, 1 = never (LibreOffice's default), 2 = ask.
RECALC_ALWAYS = 0


def write_profile(profile_dir: Path, *, recalc: bool, locale: str | None = "en-GB") -> Path:
    """Lay out a LibreOffice user profile in ``profile_dir`` and return it.

    ``recalc=True``: OOXML and ODF files are recalculated on load. ``recalc=False``: the
    Calc settings are LibreOffice's defaults (no recalculation of cached values).
    """
    user = Path(profile_dir) / "user"
    user.mkdir(parents=True, exist_ok=True)
    items = []
    if recalc:
        for name in ("OOXMLRecalcMode", "ODFRecalcMode"):
            items.append(
                _XCU_ITEM.format(
                    path="/org.openoffice.Office.Calc/Formula/Load",
                    name=name,
                    value=RECALC_ALWAYS,
                )
            )
    if locale:
        items.append(
            _XCU_ITEM.format(path="/org.openoffice.Setup/L10N", name="ooSetupSystemLocale", value=locale)
        )
    if items:
        (user / "registrymodifications.xcu").write_text(
            _XCU_HEAD + "".join(items) + "</oor:items>\n", encoding="utf-8"
        )
    return Path(profile_dir)


# --------------------------------------------------------------------------- running


def _run(cmd: list[str], *, timeout: float, what: str) -> subprocess.CompletedProcess[str]:
    # Own process group, so a timeout ends soffice and everything it started (and nothing else).
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        stdout, stderr = proc.communicate()
        raise LibreOfficeError(
            f"{what}: timed out after {timeout:g} s\n"
            f"command: {' '.join(cmd)}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        ) from None
    result = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    if proc.returncode != 0:
        raise LibreOfficeError(
            f"{what}: exit code {proc.returncode}\n"
            f"command: {' '.join(cmd)}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        )
    return result


def _soffice_convert(
    src: Path,
    target: str,
    out_dir: Path,
    *,
    recalc: bool,
    locale: str | None,
    timeout: float,
) -> tuple[Path, list[Path], subprocess.CompletedProcess[str]]:
    """Convert ``src`` with ``--convert-to target``; return (work dir, produced files, run).

    The source is copied into a private directory first, so the original is never touched (no
    lock files beside it, no overwriting when out_dir is its own folder).
    """
    exe = require_soffice()
    src = Path(src)
    if not src.is_file():
        raise FileNotFoundError(f"no such file to convert: {src}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _LOCK, tempfile.TemporaryDirectory(prefix="scr-lo-") as tmp:
        tmpd = Path(tmp)
        profile = write_profile(tmpd / "profile", recalc=recalc, locale=locale)
        work_in = tmpd / "in"
        work_out = tmpd / "out"
        work_in.mkdir()
        work_out.mkdir()
        copy = work_in / src.name
        shutil.copyfile(src, copy)
        cmd = [
            exe,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--nologo",
            "--convert-to",
            target,
            "--outdir",
            str(work_out),
            str(copy),
        ]
        run = _run(cmd, timeout=timeout, what=f"LibreOffice converting {src.name} to {target!r}")
        produced = sorted(p for p in work_out.iterdir() if p.is_file())
        if not produced or re.search(r"^Error", run.stderr, re.MULTILINE):
            raise LibreOfficeError(
                f"LibreOffice could not convert {src} to {target!r}\n"
                f"command: {' '.join(cmd)}\nstdout:\n{run.stdout}\nstderr:\n{run.stderr}"
            )
        moved = []
        for p in produced:
            dest = out_dir / p.name
            shutil.move(str(p), dest)
            moved.append(dest)
        return out_dir, moved, run


# --------------------------------------------------------------------------- public API


def csv_filter(sheet: int = 0, *, as_shown: bool = True) -> str:
    """The ``--convert-to`` argument for CSV (UTF-8, comma, double quotes).

    Tokens (LibreOffice 7.2+): separator 44 (,), text delimiter 34 ("), charset 76 (UTF-8),
    first line 1, cell formats (import only), language 0, quote all text false, detect special
    numbers true, token 9 *save cell contents as shown* (``as_shown``: ``27/12/2024`` and
    ``1.50`` instead of the locale's default date format and ``1.5``), formulas false,
    remove spaces false, token 12 the sheet: 0 = first sheet into ``<stem>.csv``, N = the Nth
    sheet (1-based) into ``<stem>-<Sheet name>.csv``, -1 = every sheet into
    ``<stem>-<Sheet name>.csv``.
    """
    shown = "true" if as_shown else "false"
    return f"csv:{_CSV_FILTER}:44,34,76,1,,0,false,true,{shown},false,false,{sheet}"


def recalc(
    xlsx_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    recalc: bool = True,
    *,
    locale: str | None = "en-GB",
    timeout: float = DEFAULT_TIMEOUT,
) -> Path:
    """Open ``xlsx_path`` in LibreOffice and save it again as .xlsx in ``out_dir``.

    With ``recalc=True`` every formula is recalculated on load, so the saved file's cached
    values are LibreOffice's answers; read them with :func:`cached_values` (openpyxl
    ``data_only=True``). Returns the path of the new file (same file name as the source).
    """
    return _to_xlsx(Path(xlsx_path), Path(out_dir), recalc=recalc, locale=locale, timeout=timeout)


def _to_xlsx(src: Path, out: Path, *, recalc: bool, locale: str | None, timeout: float) -> Path:
    _, produced, _ = _soffice_convert(
        src, f"xlsx:{_XLSX_FILTER}", out, recalc=recalc, locale=locale, timeout=timeout
    )
    return _one(produced, out / (src.stem + ".xlsx"))


def convert(
    path: str | os.PathLike[str],
    fmt: str,
    out_dir: str | os.PathLike[str],
    recalc: bool = False,
    sheet: int | str | None = None,
    *,
    as_shown: bool = True,
    locale: str | None = "en-GB",
    timeout: float = DEFAULT_TIMEOUT,
) -> Path:
    """Convert a workbook to ``fmt`` ("pdf", "csv" or "xlsx") in ``out_dir``; return the file.

    ``recalc=False`` (default) uses LibreOffice's default settings, so cached values are what
    shows. For CSV, ``sheet`` picks one sheet: ``None`` = the first, an ``int`` = that sheet
    (1-based), a ``str`` = the sheet of that name. ``as_shown``: CSV cells as formatted.
    """
    src = Path(path)
    out = Path(out_dir)
    fmt = fmt.lower()
    if fmt == "xlsx":
        if sheet is not None:
            raise ValueError("sheet= only applies to csv")
        return _to_xlsx(src, out, recalc=recalc, locale=locale, timeout=timeout)
    if fmt == "pdf":
        if sheet is not None:
            raise ValueError("sheet= only applies to csv")
        _, produced, _ = _soffice_convert(
            src, f"pdf:{_PDF_FILTER}", out, recalc=recalc, locale=locale, timeout=timeout
        )
        return _one(produced, out / (src.stem + ".pdf"))
    if fmt != "csv":
        raise ValueError(f"unsupported format {fmt!r}: use 'pdf', 'csv' or 'xlsx'")
    if sheet is None:
        _, produced, _ = _soffice_convert(
            src, csv_filter(0, as_shown=as_shown), out, recalc=recalc, locale=locale, timeout=timeout
        )
        return _one(produced, out / (src.stem + ".csv"))
    if isinstance(sheet, bool) or not isinstance(sheet, (int, str)):
        raise TypeError(f"sheet must be None, an int (1-based) or a sheet name, not {sheet!r}")
    if isinstance(sheet, int):
        if sheet < 1:
            raise ValueError(f"sheet numbers are 1-based, got {sheet}")
        _, produced, run = _soffice_convert(
            src, csv_filter(sheet, as_shown=as_shown), out, recalc=recalc, locale=locale, timeout=timeout
        )
        if len(produced) != 1:
            raise LibreOfficeError(f"expected one CSV for sheet {sheet}, got {produced}\n{run.stdout}")
        return produced[0]
    # By name: export every sheet, keep the one asked for.
    files = _csv_all(src, out, recalc=recalc, as_shown=as_shown, locale=locale, timeout=timeout)
    if sheet not in files:
        raise LibreOfficeError(f"{src.name} has no sheet {sheet!r}; sheets: {sorted(files)}")
    return files[sheet]


def csv_sheets(
    path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    recalc: bool = False,
    *,
    as_shown: bool = True,
    locale: str | None = "en-GB",
    timeout: float = DEFAULT_TIMEOUT,
) -> dict[str, Path]:
    """Every sheet to its own CSV in one LibreOffice run: ``{sheet name: csv path}``."""
    return _csv_all(
        Path(path), Path(out_dir), recalc=recalc, as_shown=as_shown, locale=locale, timeout=timeout
    )


def _csv_all(
    src: Path, out: Path, *, recalc: bool, as_shown: bool, locale: str | None, timeout: float
) -> dict[str, Path]:
    _, produced, _ = _soffice_convert(
        src, csv_filter(-1, as_shown=as_shown), out, recalc=recalc, locale=locale, timeout=timeout
    )
    prefix = src.stem + "-"
    return {p.stem[len(prefix):]: p for p in produced if p.stem.startswith(prefix)}


def _one(produced: list[Path], want: Path) -> Path:
    if want not in produced:
        raise LibreOfficeError(f"LibreOffice wrote {[p.name for p in produced]}, not {want.name}")
    return want


def read_csv(path: str | os.PathLike[str]) -> list[list[str]]:
    """Rows of a CSV written by :func:`convert` (UTF-8)."""
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        return [row for row in csv.reader(fh)]


def cached_values(xlsx_path: str | os.PathLike[str], sheet: str | None = None) -> dict[str, object]:
    """``{"A1": value, ...}`` of one sheet's cached values (openpyxl ``data_only=True``)."""
    wb = openpyxl.load_workbook(xlsx_path, data_only=True)
    try:
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        return {
            cell.coordinate: cell.value
            for row in ws.iter_rows()
            for cell in row
            if cell.value is not None
        }
    finally:
        wb.close()


def pdf_pages(pdf: str | os.PathLike[str]) -> int:
    """Number of pages (``pdfinfo``)."""
    run = _run([_require_tool("pdfinfo"), str(pdf)], timeout=60, what=f"pdfinfo {pdf}")
    m = re.search(r"^Pages:\s+(\d+)", run.stdout, re.MULTILINE)
    if not m:
        raise LibreOfficeError(f"pdfinfo gave no page count for {pdf}:\n{run.stdout}\n{run.stderr}")
    return int(m.group(1))


def pdf_to_pngs(
    pdf: str | os.PathLike[str], out_dir: str | os.PathLike[str], *, dpi: int = 80
) -> list[Path]:
    """One PNG per page (``pdftoppm``), in page order, for looking at with an image viewer."""
    pdf = Path(pdf)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    prefix = out / pdf.stem
    pat = re.compile(re.escape(pdf.stem) + r"-(\d+)\.png$")
    for old in out.iterdir():  # stale pages of an earlier run would be mistaken for ours
        if pat.match(old.name):
            old.unlink()
    _run(
        [_require_tool("pdftoppm"), "-png", "-r", str(dpi), str(pdf), str(prefix)],
        timeout=DEFAULT_TIMEOUT,
        what=f"pdftoppm {pdf}",
    )
    pages = [(int(m.group(1)), p) for p in out.iterdir() if (m := pat.match(p.name))]
    if not pages:
        raise LibreOfficeError(f"pdftoppm made no PNG from {pdf}")
    return [p for _, p in sorted(pages)]
