"""The VBA that classic xlwings writes for our worksheet functions, and a checker for it.

"Import Functions" on the xlwings ribbon runs ``xlwings.udfs.import_udfs``: it writes one VBA
wrapper per function into a temporary .bas file and imports it into the workbook as the module
``xlwings_udfs``. VBA compiles a module whole, so one bad name breaks every wrapper in it.

:func:`generate` runs that REAL code on Linux, in a fresh interpreter (the test process has the
Office.js decorators): the Windows-only modules xlwings imports (pythoncom, pywintypes,
win32com) are stubbed, ``xlwings.func/arg/ret`` are xlwings' own classic decorators (as
``xlwings/__init__.py`` picks them on Windows), and the workbook is a recorder that keeps the
file ``VBComponents.Import`` is given and the ``MacroOptions`` calls. The seam is only the COM
objects; the VBA text and the metadata are xlwings' own.

:func:`problems` checks VBA text against the language (MS-VBAL) and Excel's limits.
Run as a script it prints the generated module: ``python tests/vba.py tracker.udfs``.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# MS-VBAL (the VBA language specification) 3.3.5.2 "Reserved Identifiers and IDENTIFIER": every
# <reserved-identifier>; none may name a procedure, parameter or variable. Case-insensitive.
STATEMENT_KEYWORDS = """Call Case Close Const Declare DefBool DefByte DefCur DefDate DefDbl DefInt DefLng
    DefLngLng DefLngPtr DefObj DefSng DefStr DefVar Dim Do Else ElseIf End EndIf Enum Erase Event Exit For
    Friend Function Get Global GoSub GoTo If Implements Input Let Lock Loop LSet Next On Open Option Print
    Private Public Put RaiseEvent ReDim Resume Return RSet Seek Select Set Static Stop Sub Type Unlock Wend
    While With Write"""
MARKER_KEYWORDS = """Any As ByRef ByVal Case Each Else In New Shared Until WithEvents Write Optional ParamArray
    Preserve Spc Tab Then To"""
OPERATOR_IDENTIFIERS = "AddressOf And Eqv Imp Is Like New Mod Not Or TypeOf Xor"
SPECIAL_FORMS = "Array Circle Input InputB LBound Scale UBound"
RESERVED_TYPES = "Boolean Byte Currency Date Double Integer Long LongLong LongPtr Single String Variant"
RESERVED_NAMES = """Abs CBool CByte CCur CDate CDbl CDec CInt CLng CLngLng CLngPtr CSng CStr CVar CVErr Date
    Debug DoEvents Fix Int Len LenB Me PSet Scale Sgn String"""
LITERAL_IDENTIFIERS = "True False Nothing Empty Null"
REM_KEYWORD = "Rem"
IMPLEMENTATION_USE = """Attribute LINEINPUT VB_Base VB_Control VB_Creatable VB_Customizable VB_Description
    VB_Exposed VB_Ext_KEY VB_GlobalNameSpace VB_HelpID VB_Invoke_Func VB_Invoke_Property VB_Invoke_PropertyPut
    VB_Invoke_PropertyPutRef VB_MemberFlags VB_Name VB_PredeclaredId VB_ProcData VB_TemplateDerived
    VB_UserMemId VB_VarDescription VB_VarHelpID VB_VarMemberFlags VB_VarProcData VB_VarUserMemId"""
FUTURE_RESERVED = "CDecl Decimal DefDec"
RESERVED = {w.lower() for group in (STATEMENT_KEYWORDS, MARKER_KEYWORDS, OPERATOR_IDENTIFIERS, SPECIAL_FORMS,
                                    RESERVED_TYPES, RESERVED_NAMES, LITERAL_IDENTIFIERS, REM_KEYWORD,
                                    IMPLEMENTATION_USE, FUTURE_RESERVED) for w in group.split()}

# Names the generated wrapper body itself uses (xlwings.udfs.generate_vba_wrapper): a parameter
# with one of these names would shadow it and the wrapper would not work.
WRAPPER_NAMES = {"application", "xlpy", "thisworkbook", "activeworkbook", "err", "argsarray", "k", "failed",
                 "range", "commandbars"}

IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
MAX_IDENTIFIER = 255      # MS-VBAL 3.3.5: an identifier is at most 255 characters
MAX_LINE = 1023           # the VBA editor's longest physical line
MAX_CONTINUATIONS = 24    # line continuations in one logical line
MAX_ARGUMENTS = 60        # arguments of one procedure
A1_REFERENCE = re.compile(r"^[A-Z]{1,3}[0-9]+$", re.I)   # a name like ABC1 is a cell to Excel
R1C1_REFERENCE = re.compile(r"^(R[0-9]*C?[0-9]*|C[0-9]*)$", re.I)

PROCEDURE = re.compile(r"^(?:(?:Public|Private)\s+)?(Function|Sub)\s+(\w+)\s*\((.*)\)\s*(?:As\s+\w+)?$", re.I)
END_PROCEDURE = re.compile(r"^End\s+(Function|Sub)$", re.I)
BLOCK_IF = re.compile(r"^If\b.*\bThen$", re.I)     # a single-line If has a statement after Then
END_IF = re.compile(r"^End\s*If$", re.I)
CC_IF, CC_ELSE, CC_END = (re.compile(p, re.I) for p in (r"^#If\b.*\bThen$", r"^#Else(If\b.*)?", r"^#End\s*If$"))
LABEL = re.compile(r"^(\w+):$")


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(first physical line number, logical line) with ' _' continuations joined."""
    out, buf, start, joined = [], "", 0, 0
    for n, line in enumerate(text.splitlines(), 1):
        if not buf:
            start, joined = n, 0
        if line.endswith(" _"):
            buf += line[:-2] + " "
            joined += 1
            continue
        out.append((start, (buf + line).strip(), joined))
        buf = ""
    if buf:
        out.append((start, buf.strip(), joined))
    return out


def _name_problems(name: str, what: str) -> list[str]:
    out = []
    if not IDENTIFIER.match(name):
        out.append(f"{what} '{name}' is not a VBA identifier (a letter, then letters, digits or _)")
    if len(name) > MAX_IDENTIFIER:
        out.append(f"{what} '{name[:40]}...' is longer than {MAX_IDENTIFIER} characters")
    if name.lower() in RESERVED:
        out.append(f"{what} '{name}' is a VBA reserved word")
    return out


def problems(text: str) -> list[str]:
    """Every way the module would not compile in VBA, or would not work as a worksheet function."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if len(line) > MAX_LINE:
            out.append(f"line {n} is {len(line)} characters, more than {MAX_LINE}")
    stack: list[tuple[str, int]] = []
    proc = None  # (kind, name, params, labels, assigned)
    for n, line, joined in logical_lines(text):
        if joined > MAX_CONTINUATIONS:
            out.append(f"line {n} has {joined} line continuations, more than {MAX_CONTINUATIONS}")
        code = re.sub(r'"[^"]*"', '""', line).split("'", 1)[0].strip()  # strings and comments out
        if not code:
            continue
        if m := PROCEDURE.match(code):
            if proc:
                out.append(f"line {n}: {m[1]} {m[2]} starts inside {proc[0]} {proc[1]}")
            kind, name = m[1].capitalize(), m[2]
            out += [f"line {n}: {p}" for p in _name_problems(name, f"{kind} name")]
            if kind == "Function" and (A1_REFERENCE.match(name) or R1C1_REFERENCE.match(name)):
                out.append(f"line {n}: Function name '{name}' is a cell reference to Excel")
            params = [p.strip() for p in m[3].split(",")] if m[3].strip() else []
            if len(params) > MAX_ARGUMENTS:
                out.append(f"line {n}: {name} has {len(params)} arguments, more than {MAX_ARGUMENTS}")
            names, optional_seen = [], False
            for p in params:
                words = p.replace("()", "").split()
                if not words:
                    out.append(f"line {n}: {name} has an empty parameter")
                    continue
                optional = words[0].lower() == "optional"
                words = [w for w in words if w.lower() not in ("optional", "byval", "byref", "paramarray")]
                pname = words[0] if words else ""
                if optional_seen and not optional and not p.lower().startswith("paramarray"):
                    out.append(f"line {n}: {name}: '{pname}' follows an Optional parameter but is not Optional")
                optional_seen |= optional
                out += [f"line {n}: {p}" for p in _name_problems(pname, f"{name} parameter")]
                if pname.lower() in WRAPPER_NAMES:
                    out.append(f"line {n}: {name} parameter '{pname}' shadows a name the wrapper uses")
                if pname.lower() == name.lower():
                    out.append(f"line {n}: {name} parameter '{pname}' has the function's own name")
                if pname.lower() in (x.lower() for x in names):
                    out.append(f"line {n}: {name} parameter '{pname}' is declared twice (VBA ignores case)")
                names.append(pname)
            proc = (kind, name, names, set(), False)
            stack = []
            continue
        if m := END_PROCEDURE.match(code):
            if not proc:
                out.append(f"line {n}: End {m[1]} without {m[1]}")
            else:
                if m[1].lower() != proc[0].lower():
                    out.append(f"line {n}: End {m[1]} closes {proc[0]} {proc[1]}")
                out += [f"line {n}: {proc[1]}: {kind} opened on line {at} is not closed" for kind, at in stack]
                if proc[0] == "Function" and not proc[4]:
                    out.append(f"line {n}: Function {proc[1]} never sets its result")
            proc, stack = None, []
            continue
        if CC_IF.match(code) or BLOCK_IF.match(code):
            stack.append(("#If" if code.startswith("#") else "If", n))
        elif CC_ELSE.match(code):
            if not stack or stack[-1][0] != "#If":
                out.append(f"line {n}: #Else without #If")
        elif CC_END.match(code) or END_IF.match(code):
            want = "#If" if code.startswith("#") else "If"
            if not stack or stack[-1][0] != want:
                out.append(f"line {n}: {code} without {want}")
            else:
                stack.pop()
        elif m := LABEL.match(code):
            if proc and m[1].lower() in proc[3]:
                out.append(f"line {n}: label {m[1]} twice in {proc[1]}")
            if proc:
                proc[3].add(m[1].lower())
        elif proc and re.match(rf"^{re.escape(proc[1])}\s*=", code, re.I):
            proc = (*proc[:4], True)
        elif re.match(r"^Exit\s+(Function|Sub)$", code, re.I) and proc and \
                code.split()[-1].lower() != proc[0].lower():
            out.append(f"line {n}: {code} inside {proc[0]} {proc[1]}")
        if proc:
            for target in re.findall(r"\bGoTo\s+([A-Za-z]\w*)", code, re.I):  # not "On Error GoTo 0"
                if not re.search(rf"^\s*{re.escape(target)}:\s*$", text, re.M | re.I):
                    out.append(f"line {n}: GoTo {target}: no such label")
    if proc:
        out.append(f"{proc[0]} {proc[1]} is not closed (End {proc[0]} missing)")
    return out


def wrappers(text: str) -> dict[str, dict]:
    """Each Function in the module: its parameters and the Python call it makes."""
    found = {}
    for n, line, _ in logical_lines(text):
        if m := PROCEDURE.match(line):
            params = [p.split()[-1] for p in m[3].split(",")] if m[3].strip() else []
            found[m[2]] = {"params": params, "calls": []}
            current = m[2]
        elif m := re.match(r'^(\w+) = XLPy\.CallUDF\("([\w.]+)", "(\w+)", Array\((.*?)\)', line):
            found[current]["calls"].append({"module": m[2], "function": m[3],
                                            "args": [a.strip() for a in m[4].split(",") if a.strip()]})
    return found


# ---- running xlwings' generator --------------------------------------------------------------------

_GENERATE = r'''
import json, sys, types

class com_error(Exception):
    pass

# The Windows-only modules xlwings.udfs imports; nothing here is called while writing the wrappers.
pythoncom = types.ModuleType("pythoncom")
pythoncom.CoInitialize = lambda: None
pywintypes = types.ModuleType("pywintypes")
pywintypes.com_error = com_error
win32com = types.ModuleType("win32com")
win32com_client = types.ModuleType("win32com.client")
win32com_client.Dispatch = lambda *a, **k: None
win32com.client = win32com_client
win32api = types.ModuleType("win32api")
sys.modules.update({"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com,
                    "win32com.client": win32com_client, "win32api": win32api})

import importlib, os
import xlwings
import xlwings.udfs as classic

# What xlwings/__init__.py does on Windows: the decorators are the classic ones.
xlwings.func, xlwings.arg, xlwings.ret = classic.xlfunc, classic.xlarg, classic.xlret

module_name, workbook_name = sys.argv[1], sys.argv[2]
module = importlib.import_module(module_name)
# get_udf_module would first look for embedded code through COM; the module is already imported.
classic.udf_modules[module_name] = {"filename": module.__file__, "filetime": None, "module": module}

class Components:
    imported = None
    def __call__(self, name):
        raise com_error("no module " + name)   # a first import: no xlwings_udfs to remove yet
    def Remove(self, component):
        pass
    def Import(self, path):
        with open(path, encoding="mbcs" if os.name == "nt" else None) as f:
            Components.imported = f.read()

class Application:
    Version = "16.0"
    options = []
    def MacroOptions(self, macro, **kw):
        Application.options.append({"macro": macro, **kw})
    def Run(self, *args):
        raise AssertionError("fallback import path used")

class Project:
    VBComponents = Components()

class Workbook:
    Name = workbook_name
    VBProject = Project()
    Application = Application()

classic.import_udfs(module_name, Workbook())
functions = {f.__xlfunc__["name"]: {"ret": f.__xlfunc__["ret"]["options"], "async_mode": f.__xlfunc__["async_mode"]}
             for f in vars(module).values() if hasattr(f, "__xlfunc__")}
json.dump({"vba": Components.imported, "macro_options": Application.options, "functions": functions},
          sys.stdout, default=str)
'''


def generate(module_name: str = "tracker.udfs", workbook: str = "case.xlsm", path: str | Path | None = None) -> dict:
    """xlwings' Import Functions, run for real: {"vba": the module's text, "macro_options": the
    MacroOptions calls, "functions": each function's classic return options and async mode}."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XLWINGS_")}  # classic, not Office.js
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in (path, ROOT) if p)
    done = subprocess.run([sys.executable, "-c", _GENERATE, module_name, workbook], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise RuntimeError(f"xlwings' import_udfs failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout[done.stdout.index("{"):])  # after import_udfs' own "Imported..." line


if __name__ == "__main__":
    print(generate(*(sys.argv[1:2] or ["tracker.udfs"]))["vba"])
