"""macros/ScrFunctions.bas: xlwings' own wrappers for tracker.udfs, except that a failure is the
error #VALUE! (so IFERROR in a case workbook falls back to the native twin) with the message kept
for SCR_LASTERROR. Made by tools/scr_functions.py from xlwings' real generator (tests/vba.py);
these tests fail when the file is stale, when the transformation changes more than the failure
lines, or when the module would not compile."""
from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest

from test_vba_wrappers import libreoffice_compiles
from vba import generate, problems, wrappers

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "macros" / "ScrFunctions.bas"
sys.path.insert(0, str(ROOT))  # tools/ is the project's own scripts, not the installed package
from tools.scr_functions import transform  # noqa: E402


@pytest.fixture(scope="module")
def generated():
    return generate("tracker.udfs")["vba"]


@pytest.fixture(scope="module")
def shipped():
    return SHIPPED.read_bytes().decode("ascii")


def test_the_shipped_module_is_what_the_generator_gives_today(generated, shipped):
    # Fails when tracker/udfs.py adds, renames or re-orders a function or an argument:
    # run `uv run python -m tools.scr_functions` and commit macros/ScrFunctions.bas.
    assert shipped == transform(generated), "macros/ScrFunctions.bas is out of date: uv run python -m tools.scr_functions"


def test_only_the_failure_lines_differ_from_xlwings(generated, shipped):
    ours = shipped.replace("\r\n", "\n")
    assert wrappers(ours).keys() - {"SCR_LASTERROR", "ScrFailed", "ScrMessageOf"} == wrappers(generated).keys()
    for name, w in wrappers(generated).items():
        assert wrappers(ours)[name] == w, name   # same parameters, same XLPy.CallUDF calls
        body = re.search(rf"^Function {name}\(.*?^End Function$", generated, re.M | re.S)[0]
        expected = body.replace(f"    {name} = Err.Description", f"    {name} = ScrFailed(Err.Description, Application.Caller)")
        assert expected != body and expected in ours, name
    assert "= Err.Description" not in ours   # no wrapper returns the message as text any more
    assert ours.startswith('Attribute VB_Name = "ScrFunctions"\n')
    assert "CVErr(xlErrValue)" in ours


def test_the_module_breaks_no_rule_of_the_language(shipped):
    assert problems(shipped) == []


def test_the_staleness_check_sees_one_more_function(tmp_path, shipped):
    # A tracker.udfs with one extra worksheet function: its transformed module is not the file.
    (tmp_path / "more_udfs.py").write_text(textwrap.dedent('''
        from tracker.udfs import *  # noqa: F403
        from xlwings import func

        @func
        def SCR_EXTRA(day0):
            """One function more than tracker.udfs has."""
            return day0
        '''))
    grown = transform(generate("more_udfs", path=tmp_path)["vba"])
    assert grown != shipped
    assert "Function SCR_EXTRA(day0)" in grown and "SCR_EXTRA = ScrFailed(Err.Description" in grown
    assert "Function SCR_EXTRA" not in shipped
    # and that function is the only difference (the synthetic module names itself in each call)
    extra = re.search(r"^Function SCR_EXTRA\(.*?^End Function\r\n\r\n", grown, re.M | re.S)[0]
    assert grown.replace(extra, "").replace('"more_udfs"', '"tracker.udfs"') == shipped


def test_the_transformation_refuses_a_module_it_does_not_recognise(generated):
    with pytest.raises(ValueError, match="failed:"):
        transform(generated.replace("SCR_RAG = Err.Description", "SCR_RAG = Err.Number"))
    with pytest.raises(ValueError, match="VB_Name"):
        transform(generated.replace('"xlwings_udfs"', '"other"'))


# What LibreOffice Basic runs: ScrFailed with the text pywin32 gives VBA for a Python exception
# (with a traceback), then SCR_LASTERROR(). Answers 42 only if the result is an error value and
# the message is the tracker's sentence, without the traceback.
RUN_PROBE = '''
Function ScrCompileProbe()
    Dim v As Variant
    v = ScrFailed("Unexpected Python Error: Traceback (most recent call last):" & vbCrLf & _
        "  File ""udfs.py"", line 1" & vbCrLf & _
        "tracker.errors.ScrError: Day 0 is blank. Fix: Enter the Day 0 date." & vbCrLf, Nothing)
    If IsError(v) And SCR_LASTERROR() = "Day 0 is blank. Fix: Enter the Day 0 date." Then ScrCompileProbe = 42
End Function
'''


def test_libreoffice_basic_compiles_and_runs_the_failure_path(shipped, libreoffice_required):
    code = "Option VBASupport 1\n" + shipped.replace("\r\n", "\n")
    broken = code.replace("    Next i\n", "", 1)   # the control: a For without its Next
    assert broken != code
    compiled = libreoffice_compiles({"ScrFunctions": code, "ScrFunctions_run": code + RUN_PROBE,
                                     "ScrFunctions_text": code.replace("CVErr(xlErrValue)", "description") + RUN_PROBE,
                                     "ScrFunctions_broken": broken})
    assert compiled == {"ScrFunctions": True, "ScrFunctions_run": True,
                        "ScrFunctions_text": False,    # returning the text, as xlwings does, fails the probe
                        "ScrFunctions_broken": False}
