Attribute VB_Name = "ScrFunctionsNote"
' ScrFunctionsNote -- how the tracker's worksheet functions (SCR_DEADLINE, SCR_STATUS,
' SCR_RECEIPT, SCR_RAG, WORKDAY_UK, ...) get into this workbook with classic xlwings on
' Windows. This module holds no code; importing it is optional (it keeps the note with the
' workbook).
'
' The functions are NOT typed in here. The xlwings add-in writes them:
'   1. File > Options > Trust Center > Trust Center Settings > Macro Settings: tick
'      "Trust access to the VBA project object model" (once per computer).
'   2. The hidden xlwings.conf sheet already says UDF Modules = tracker.udfs
'      (or type tracker.udfs into "UDF Modules" on the xlwings ribbon tab).
'   3. On the xlwings ribbon tab click "Import Functions". xlwings then writes a VBA module
'      called "xlwings_udfs" into this workbook, with one wrapper per function
'      (SCR_DEADLINE etc.) that calls Python.
'   4. The wrappers call XLPy, which is xlwings' own VBA: in the VBA editor (Alt+F11)
'      Tools > References... > tick "xlwings" (the add-in: xlwings addin install), or drag
'      the "xlwings" module of a standalone workbook (xlwings quickstart scrvba --standalone)
'      into this workbook. Without it the module does not compile.
'   5. Save as Excel Macro-Enabled Workbook (*.xlsm).
' Click "Import Functions" again after updating the tracker if a function's name or
' arguments changed. Never edit "xlwings_udfs" by hand, and never call a module of your own
' "xlwings_udfs": Import Functions deletes and rewrites that module.
'
' Without the functions every cell still shows the right answer: each formula is
' IFERROR(SCR_...(...), the same rule in Excel's own functions), so a missing function
' falls back to the native formula. (When Python itself fails, the wrapper puts the error's
' text in the cell: text is not an error to IFERROR, so fix Python or remove xlwings_udfs.) Worksheet functions work on Windows only with classic
' xlwings; on a Mac or Excel on the web see docs/EXCEL.md (xlwings Lite).
Option Explicit
