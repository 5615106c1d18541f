"""What importing the add-in does to the process that hosts it (a shared UDF server in classic
xlwings, the Pyodide worker in xlwings Lite): nothing but define the worksheet functions."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_addin_leaves_pyodide_alone():
    # A fresh interpreter: this test process has the test host's own speed-up (conftest.py).
    probe = "import sys, tracker.udfs; print('pyodide' in sys.modules)"
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False", "importing tracker.udfs changed sys.modules['pyodide']"
