Attribute VB_Name = "ScrButtons"
' ScrButtons -- the case review tracker's buttons (scr-tracker).
'
' IMPORT ONCE per case workbook:
'   1. Open the case workbook and press Alt+F11 (the VBA editor).
'   2. File > Import File... and choose this file (ScrButtons.bas).
'   3. RunPython comes from xlwings, so the workbook also needs EITHER
'        the xlwings add-in (on a command prompt: xlwings addin install) and, in the VBA
'        editor, Tools > References... > tick "xlwings",
'      OR the standalone xlwings VBA module: on a command prompt run
'        xlwings quickstart scrvba --standalone
'      open the scrvba workbook it makes and drag its "xlwings" module (on a Mac also its
'      "Dictionary" class module) into this workbook in the VBA editor.
'   4. File > Save As > Excel Macro-Enabled Workbook (*.xlsm).
' Then draw a button for each Sub below: Developer > Insert > Button, and assign the macro.
'
' The Python that runs is the one set in the xlwings ribbon, or in this workbook's hidden
' "xlwings.conf" sheet (Interpreter_Win / Interpreter_Mac); the tracker (the scr-tracker
' package) must be installed into it.
' Each button saves the workbook, reads the saved copy, and writes its results into this open
' workbook (it cannot change the file while Excel has it open). See macros/README.md.
Option Explicit

Public Sub ScrRefresh()
    ' Recompute every date, status and BRAG in this workbook.
    RunPython "import workbook.buttons as b; b.refresh()"
End Sub

Public Sub ScrChase()
    ' Write the "Chase list" sheet and a chase e-mail per agency (folder "chase").
    RunPython "import workbook.buttons as b; b.chase()"
End Sub

Public Sub ScrIssueUpdates()
    ' Write an update sheet for each agency with open actions (folder "update-sheets").
    RunPython "import workbook.buttons as b; b.issue_updates()"
End Sub

Public Sub ScrImportReturns()
    ' Apply the update sheets the agencies sent back (saved in folder "returns-inbox").
    RunPython "import workbook.buttons as b; b.import_returns()"
End Sub
