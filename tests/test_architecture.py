"""The direction of dependencies, checked on the source (docs/ARCHITECTURE.md draws it):

    tracker/* (domain)  <-  workbook/<format>/*  <-  workbook/commands/*  <-  tracker/cli.py, workbook/buttons.py

* the domain imports nothing of workbook/ and no spreadsheet library (openpyxl, xlsxwriter, lxml,
  xlwings); of tracker/, only udfs.py (the worksheet functions) may import xlwings;
* workbook/xlsx/ (spreadsheet machinery) knows no case: nothing of the other workbook packages, nor
  tracker.case;
* a format package imports no command and no edge; a command imports no other command;
* only workbook/buttons.py, of workbook/, may import xlwings;
* no name starting with "_" is imported from another module.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EDGES = {"tracker.cli", "tracker.cli_documents", "workbook.buttons"}  # cli_documents: the cli, in two files
SPREADSHEET_LIBS = {"openpyxl", "xlsxwriter", "lxml", "xlwings"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources() -> dict[str, str]:
    return {module_name(p): p.read_text(encoding="utf-8")
            for top in ("tracker", "workbook") for p in sorted((ROOT / top).rglob("*.py"))}


def imports(module: str, source: str):
    """(imported module, names taken from it, line) for every import in ``source``, however deep."""
    package = module if module.count(".") == 0 else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            yield base, [a.name for a in node.names], node.lineno


def layer(module: str) -> str:
    if module in EDGES:
        return "edge"
    if module == "tracker.udfs":
        return "udfs"
    if module.startswith("tracker"):
        return "domain"
    if module.startswith("workbook.commands"):
        return "command"
    if module.startswith("workbook.xlsx"):
        return "machinery"
    if module.startswith("workbook"):
        return "format"
    return "outside"


def violations(mods: dict[str, str]) -> list[str]:
    """Every broken rule in the modules ``mods`` ({dotted name: source}), as readable lines."""
    out = []
    for mod, src in mods.items():
        here = layer(mod)
        for target, names, line in imports(mod, src):
            # "from workbook.case import layout": the module imported is workbook.case.layout
            targets = [f"{target}.{n}" if f"{target}.{n}" in mods else target for n in names] or [target]
            for t in targets:
                top, there = t.split(".")[0], layer(t)
                where = f"{mod}:{line} imports {t}"
                if top == "xlwings" and mod not in ("tracker.udfs", "workbook.buttons"):
                    out.append(f"{where}: only tracker/udfs.py and workbook/buttons.py may import xlwings")
                if here in ("domain", "udfs") and (top == "workbook" or (top in SPREADSHEET_LIBS and top != "xlwings")):
                    out.append(f"{where}: the domain (tracker/) imports no file format")
                if here == "machinery" and (there in ("format", "command", "edge") or t == "tracker.case"):
                    out.append(f"{where}: workbook/xlsx/ is spreadsheet machinery and knows no case")
                if here == "format" and there in ("command", "edge"):
                    out.append(f"{where}: a file format imports no command")
                if here == "command" and (there == "edge" or (there == "command" and t != mod)):
                    out.append(f"{where}: a command imports no other command")
                if here in ("domain", "udfs", "format", "machinery") and there == "edge":
                    out.append(f"{where}: nothing below the edges imports an edge")
            for n in names:
                if n.startswith("_") and not n.startswith("__"):
                    out.append(f"{mod}:{line} imports the private name {n} from {target}")
    return out


def test_the_house_keeps_its_direction():
    found = violations(sources())
    assert not found, "\n".join(found)


@pytest.mark.parametrize("module, source, rule", [
    ("tracker.plan", "from workbook.case import layout as L\n", "the domain"),
    ("tracker.rag", "import openpyxl\n", "the domain"),
    ("tracker.status", "def f():\n    import xlwings\n", "xlwings"),
    ("workbook.xlsx.patch", "from tracker.case import CaseData\n", "knows no case"),
    ("workbook.case.read", "from workbook.commands import refresh\n", "a file format imports no command"),
    ("workbook.commands.demo", "from workbook.commands.refresh import refresh\n", "no other command"),
    ("workbook.update_sheet.read", "from workbook.case.read import _load\n", "private name"),
    ("workbook.case.build", "import workbook.buttons\n", "edge"),
])
def test_the_checker_catches_a_bad_import(module, source, rule):
    mods = {"workbook.commands.refresh": "", "workbook.case.layout": "", "workbook.case.read": "",
            "workbook.buttons": "", module: source}
    found = violations(mods)
    assert any(rule in v for v in found), found


def test_the_checker_passes_good_imports():
    mods = {"workbook.commands.refresh": "from workbook.case.session import CaseSession\nfrom tracker.case import compute\n",
            "workbook.case.session": "from workbook.xlsx.patch import Patch\nfrom tracker.case import CaseData\n",
            "tracker.cli": "from workbook.commands import refresh\n", "workbook.xlsx.patch": "import lxml\n",
            "tracker.udfs": "from xlwings import func\n"}
    assert violations(mods) == []


# ---- modules a page or two long (the brief: ~400 lines), so each is named for one thing it holds ----
MAX_LINES = 420


def too_long(mods: dict[str, str], limit: int = MAX_LINES) -> list[str]:
    return [f"{m} has {n} lines (at most {limit}: split it by what it holds)"
            for m, n in sorted((m, s.count("\n") + (not s.endswith("\n") and bool(s))) for m, s in mods.items())
            if n > limit]


def test_no_module_is_longer_than_a_few_pages():
    found = too_long(sources())
    assert not found, "\n".join(found)


def test_the_length_check_catches_a_long_module():
    assert too_long({"tracker.big": "x = 1\n" * (MAX_LINES + 1), "tracker.small": "x = 1\n" * MAX_LINES}) == [
        f"tracker.big has {MAX_LINES + 1} lines (at most {MAX_LINES}: split it by what it holds)"]
