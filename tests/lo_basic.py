"""Compile VBA modules in LibreOffice Basic (``Option VBASupport 1``): an independent syntax check.

Run by the SYSTEM Python that has LibreOffice's UNO bridge (``/usr/bin/python3`` with
python3-uno), not the project's venv:  ``/usr/bin/python3 tests/lo_basic.py < modules.json``
where the JSON maps module names to VBA source; it prints a JSON map of module name to
``true`` (compiled) or ``false``.

How a compile error is seen: in headless mode LibreOffice swallows Basic's error dialogs, and a
script call into a module that failed to compile still "succeeds", it just does not run. So each
module gets a probe function appended that returns 42; the module compiled if and only if the
probe answers 42 (verified on 7.4 with a syntax error, a keyword as a parameter and an
unclosed Function: each gives no answer). A module that defines ``ScrCompileProbe`` itself
is run with its own probe instead: a run-time check that answers 42 only when it passes.

One throw-away user profile and one soffice process per run, killed by its own process id.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

PROBE = "ScrCompileProbe"
ANSWER = 42


def _connect(pipe: str, timeout: float = 90.0):
    import uno
    from com.sun.star.connection import NoConnectException

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def compile_modules(modules: dict[str, str]) -> dict[str, bool]:
    import uno  # noqa: F401 - installs the com.sun.star importer
    from com.sun.star.beans import PropertyValue

    profile = tempfile.mkdtemp(prefix="scr-lo-basic-")
    pipe = f"scrbasic{os.getpid()}"
    soffice = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ctx = _connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        hidden = PropertyValue(Name="Hidden", Value=True)
        doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (hidden,))
        libraries = doc.BasicLibraries
        provider = doc.getScriptProvider()
        out = {}
        for i, (name, code) in enumerate(modules.items()):
            # A library of its own per module: before running anything Basic compiles every module
            # of the library, and one that fails stops them all.
            library = libraries.createLibrary(f"ScrCheck{i}")
            # A module may bring its own probe (a run-time check that answers 42 only if it passes).
            probe = "" if re.search(rf"^Function {PROBE}\(", code, re.M) else \
                f"Function {PROBE}()\n    {PROBE} = {ANSWER}\nEnd Function\n"
            library.insertByName(name, f"{code.rstrip()}\n{probe}")
            try:
                script = provider.getScript(f"vnd.sun.star.script:ScrCheck{i}.{name}.{PROBE}?language=Basic&location=document")
                answer = script.invoke((), (), ())[0]
            except Exception:  # noqa: BLE001 - "script not found": the module's structure did not parse
                answer = None
            out[name] = answer == ANSWER
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge drops as soffice exits
            pass
        return out
    finally:
        try:
            soffice.wait(timeout=30)
        except subprocess.TimeoutExpired:
            soffice.kill()
            soffice.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    json.dump(compile_modules(json.load(sys.stdin)), sys.stdout)
