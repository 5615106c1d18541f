Attribute VB_Name = "ScrFunctionsNote"
' ScrFunctionsNote -- how the tracker's worksheet functions (SCR_DEADLINE, SCR_STATUS,
' SCR_RECEIPT, SCR_RAG, WORKDAY_UK, ...) get into this workbook with classic xlwings on
' Windows. This module holds no code; importing it is optional (it keeps the note with the
' workbook).
'
' The functions are NOT typed in here. Import the module ScrFunctions.bas (in the same folder
' as this note):
'   1. Alt+F11, File > Import File... > ScrFunctions.bas. A module "ScrFunctions" appears with
'      one wrapper per function (SCR_DEADLINE etc.) that calls Python, and SCR_LASTERROR.
'      Use it INSTEAD OF "Import Functions" on the xlwings ribbon tab: its wrappers are the ones
'      Import Functions writes, except that when Python fails they return #VALUE! (xlwings'
'      own module "xlwings_udfs" returns the message as text, which IFERROR does not catch).
'      If Import Functions was used before, remove "xlwings_udfs" first: keep only one.
'   2. The wrappers call XLPy, which is xlwings' own VBA: in the VBA editor (Alt+F11)
'      Tools > References... > tick "xlwings" (the add-in: xlwings addin install), or drag
'      the "xlwings" module of a standalone workbook (xlwings quickstart scrvba --standalone)
'      into this workbook. Without it the module does not compile.
'   3. Save as Excel Macro-Enabled Workbook (*.xlsm).
' After updating the tracker, if a function's name or arguments changed, remove ScrFunctions
' and import the new ScrFunctions.bas. Never edit it by hand.
'
' Without the functions every cell still shows the right answer: each formula is
' IFERROR(SCR_...(...), the same rule in Excel's own functions), so a missing function
' falls back to the native formula, and so does a function that fails (Python missing or
' broken): ScrFunctions returns #VALUE!. In a cell of your own, =SCR_LASTERROR(A1) says why
' A1 is #VALUE!. Worksheet functions work on Windows only with classic xlwings; on a Mac or
' Excel on the web see docs/EXCEL.md (xlwings Lite). Checked in LibreOffice Basic, not Excel.
Option Explicit
