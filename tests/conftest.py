"""Shared test set-up.

xlwings chooses its decorators when it is first imported: with XLWINGS_ON_SERVER=true the
`func`/`arg`/`ret` decorators are the real Office.js ones, so the worksheet functions can be
called exactly as Excel calls them (see dispatch.py). The licence key "noncommercial" is
xlwings' own key for non-commercial use (PolyForm Noncommercial), which this public-sector,
non-commercial project qualifies for.
"""
import os
import sys

os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

# The test host's own speed-up, never the add-in's: xlwings 0.37 tries `from pyodide.ffi import
# JsNull` for every cell the dispatcher reads, and outside Pyodide each failed import walks sys.path
# again (most of a large column's time). Here it fails at once. tracker/udfs.py must not do this:
# in a shared UDF server other libraries would then believe they run in a browser.
if sys.platform != "emscripten":
    sys.modules.setdefault("pyodide", None)


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def libreoffice_required():
    """Tests that use LibreOffice as an oracle FAIL (never skip) where it is missing: CI installs it."""
    from libreoffice import LibreOfficeMissing, require_soffice
    try:
        require_soffice()
    except LibreOfficeMissing as e:
        pytest.fail(str(e), pytrace=False)


@pytest.fixture(autouse=True)
def _no_case_password_left():
    """`scr --password` keeps the password it asked for in this process's environment, for every
    document the run opens; an in-process test must not pass it on to the next test."""
    before = os.environ.get("SCR_CASE_PASSWORD")
    yield
    if before is None:
        os.environ.pop("SCR_CASE_PASSWORD", None)
    else:
        os.environ["SCR_CASE_PASSWORD"] = before


@pytest.fixture(autouse=True, scope="session")
def _keys_in_a_temp_dir(tmp_path_factory):
    """Every case a test makes keeps its signing key here, never in the tester's ~/.scr/keys.
    Session-wide, so a case a module-scoped fixture made still has its key in every test; a test
    of a machine without the key points SCR_KEYS_DIR at an empty folder itself."""
    before = os.environ.get("SCR_KEYS_DIR")
    os.environ["SCR_KEYS_DIR"] = str(tmp_path_factory.mktemp("scr-keys"))
    yield
    if before is None:
        os.environ.pop("SCR_KEYS_DIR", None)
    else:
        os.environ["SCR_KEYS_DIR"] = before
