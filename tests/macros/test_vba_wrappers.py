"""Windows compiles the worksheet functions: the VBA module xlwings' "Import Functions" writes for
tracker.udfs (xlwings' real generator, run on Linux with its COM objects stubbed; see vba.py)
obeys the VBA language's rules, and so do the buttons' modules in macros/. VBA compiles a module
whole: one parameter named like a keyword (NETWORKDAYS_UK's old `end`) broke all nine wrappers."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dispatch import meta
from vba import RESERVED, generate, problems, wrappers

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def generated():
    return generate("tracker.udfs")


def test_the_generated_module_breaks_no_rule_of_the_language(generated):
    assert generated["vba"].startswith('Attribute VB_Name = "xlwings_udfs"')
    assert problems(generated["vba"]) == []


def test_one_wrapper_per_worksheet_function_passing_every_parameter_in_order(generated):
    found = wrappers(generated["vba"])
    office_js = {f["name"]: [p["name"] for p in f["parameters"]] for f in meta()["functions"]}
    assert set(found) == set(office_js) == set(generated["functions"])
    for name, w in found.items():
        assert w["params"] == office_js[name], name
        # the Excel branch and the #Else branch: both call the same Python function with every argument
        assert [c["function"] for c in w["calls"]] == [name, name]
        assert all(c["module"] == "tracker.udfs" and c["args"] == w["params"] for c in w["calls"]), name


def test_excel_is_told_what_each_function_and_argument_is(generated):
    # Excel's function wizard shows these; xlwings cuts each at 255 characters, so the whole text
    # must fit: equal to what Office.js is told, and never xlwings' "Positional argument" filler.
    options = {o["macro"].split("!")[-1]: o for o in generated["macro_options"]}
    assert set(options) == set(generated["functions"])
    office_js = {f["name"]: f for f in meta()["functions"]}
    for name, o in options.items():
        assert o["macro"] == f"'case.xlsm'!{name}"
        assert o["Description"] == office_js[name]["description"], name
        described = o["ArgumentDescriptions"] or []
        assert described == [p["description"] for p in office_js[name]["parameters"]], name
        assert not any(d.startswith("Positional argument") for d in described), name


def test_no_legacy_array_formulas_in_classic_xlwings(generated):
    # call_udf treats ret(expand=...) as a legacy dynamic array: it rewrites the caller as a
    # Ctrl+Shift+Enter array formula and calls the function twice. Excel 365 spills by itself.
    for name, f in generated["functions"].items():
        assert "expand" not in f["ret"], name
        assert not f["async_mode"], name   # async UDFs also go through the array-formula rewrite
    assert "FormulaArray" not in generated["vba"]


@pytest.mark.parametrize("path", sorted((ROOT / "macros").glob("*.bas")), ids=lambda p: p.name)
def test_the_buttons_modules_break_no_rule_of_the_language(path):
    assert problems(path.read_text(encoding="ascii")) == []


# ---- the checker itself: it must fail on what VBA refuses ---------------------------------------

def test_the_checker_fails_on_a_reserved_word_through_the_real_generator(tmp_path):
    (tmp_path / "synthetic_udfs.py").write_text(textwrap.dedent('''
        from xlwings import func, arg

        @func
        @arg("start", doc="Start date")
        def DAYS_BETWEEN(start, end, Date=None):
            """Days from start to end."""
            return end - start
        '''))
    vba = generate("synthetic_udfs", path=tmp_path)["vba"]
    assert "Function DAYS_BETWEEN(start, end, Optional Date)" in vba  # what xlwings really writes
    found = problems(vba)
    assert any("parameter 'end' is a VBA reserved word" in p for p in found), found
    assert any("parameter 'Date' is a VBA reserved word" in p for p in found), found


@pytest.mark.parametrize("text,expected", [
    ("Function F(a, b)\n    F = 1\n", "is not closed"),
    ("Function F(a)\n    If a Then\n    F = 1\nEnd Function\n", "If opened on line 2 is not closed"),
    ("Function F(a)\n    #If App Then\n    F = 1\nEnd Function\n", "#If opened on line 2 is not closed"),
    ("Function F(a)\n    F = 1\nEnd Sub\n", "End Sub closes Function F"),
    ("Function F(a)\n    a = 1\nEnd Function\n", "never sets its result"),
    ("Function F(Optional a, b)\n    F = 1\nEnd Function\n", "follows an Optional parameter"),
    ("Function F(due, Due)\n    F = 1\nEnd Function\n", "declared twice"),
    ("Function F(application)\n    F = 1\nEnd Function\n", "shadows a name the wrapper uses"),
    ("Function AB12(a)\n    AB12 = 1\nEnd Function\n", "is a cell reference"),
    ("Function F(a)\n    On Error GoTo nowhere\n    F = 1\nEnd Function\n", "no such label"),
    ("Sub Select()\nEnd Sub\n", "Sub name 'Select' is a VBA reserved word"),
    ("Function F(" + ", ".join(f"a{i}" for i in range(61)) + ")\n    F = 1\nEnd Function\n", "61 arguments"),
])
def test_the_checker_fails_on_what_vba_refuses(text, expected):
    found = problems(text)
    assert any(expected in p for p in found), found


def test_the_reserved_words_are_the_specifications():
    # spot checks from every group of MS-VBAL 3.3.5.2, and words that are NOT reserved
    assert {"end", "date", "string", "input", "me", "nothing", "rem", "attribute", "decimal", "typeof",
            "paramarray", "lbound", "cverr", "deflngptr"} <= RESERVED
    assert not {"start", "status", "target", "day", "today", "due", "nation", "profile"} & RESERVED


# ---- an independent compiler: LibreOffice Basic with VBA support ------------------------------

SYSTEM_PYTHON = "/usr/bin/python3"  # LibreOffice's UNO bridge (python3-uno) lives in the system Python


def libreoffice_compiles(modules: dict[str, str]) -> dict[str, bool]:
    import json
    import subprocess
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    if probe.returncode:
        pytest.fail(f"{SYSTEM_PYTHON} cannot import uno: install python3-uno (with libreoffice-calc-nogui)",
                    pytrace=False)
    done = subprocess.run([SYSTEM_PYTHON, str(ROOT / "tests" / "lo_basic.py")], input=json.dumps(modules),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_libreoffice_basic_compiles_the_wrappers_and_the_buttons(generated, libreoffice_required):
    vba = generated["vba"]
    # The control: the module exactly as xlwings wrote it while NETWORKDAYS_UK had a parameter `end`.
    with_end = vba.replace("end_date", "end")
    assert with_end != vba and problems(with_end)
    modules = {"xlwings_udfs": vba, "xlwings_udfs_with_end": with_end}
    modules |= {p.stem: p.read_text(encoding="ascii") for p in sorted((ROOT / "macros").glob("*.bas"))}
    compiled = libreoffice_compiles({name: "Option VBASupport 1\n" + code for name, code in modules.items()})
    assert compiled.pop("xlwings_udfs_with_end") is False, "LibreOffice's compiler does not catch a keyword"
    assert compiled == {name: True for name in compiled}


def test_what_the_wrappers_and_buttons_call_comes_from_xlwings_and_the_docs_say_how(generated):
    import re

    import xlwings
    here = Path(xlwings.__file__).parent
    standalone, addin = (here / "xlwings.bas").read_text("latin-1"), (here / "addin" / "Main.bas").read_text("latin-1")
    buttons = (ROOT / "macros" / "ScrButtons.bas").read_text("ascii")
    needed = {"XLPy": generated["vba"], "RunPython": buttons}
    for name, user in needed.items():
        assert re.search(rf"\b{name}\b", user), name
        for source in (standalone, addin):   # the add-in (through its reference) or the standalone module
            assert re.search(rf"^(Public\s+)?(Function|Sub)\s+{name}\s*\(", source, re.M | re.I), name
    for doc in (ROOT / "macros" / "README.md", ROOT / "macros" / "ScrFunctionsNote.bas", ROOT / "docs" / "EXCEL.md"):
        text = " ".join(doc.read_text().split())
        assert "Tools > References" in text and "--standalone" in text, doc.name
