Attribute VB_Name = "ScrFunctions"
' ScrFunctions -- the tracker's worksheet functions (SCR_DEADLINE, ...) for classic xlwings on
' Windows. Made by tools/scr_functions.py from the module xlwings' "Import Functions" writes,
' with one change: when Python raises or cannot start, a function returns the error #VALUE!
' (not the message as text), so IFERROR in a case workbook falls back to Excel's own formula.
' The message is kept: =SCR_LASTERROR(A1) shows why A1 is #VALUE!; =SCR_LASTERROR() the most
' recent one; and the VBA editor's Immediate window (Ctrl+G) lists each. Do not edit: run
' tools/scr_functions.py again. Needs the reference to xlwings (Tools > References) or the
' standalone xlwings module. Do not also keep "xlwings_udfs" (the same names twice).
' Checked by compiling in LibreOffice Basic, not in Excel.
#Const App = "Microsoft Excel" 'Adjust when using outside of Excel
Option Explicit

Private ScrLastMessage As String   ' the most recent failure's message
Private ScrMessages As Collection  ' each failing cell's message, by its address

Function NETWORKDAYS_UK(start, end_date, Optional nation, Optional extra_holidays)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        NETWORKDAYS_UK = XLPy.CallUDF("tracker.udfs", "NETWORKDAYS_UK", Array(start, end_date, nation, extra_holidays), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        NETWORKDAYS_UK = XLPy.CallUDF("tracker.udfs", "NETWORKDAYS_UK", Array(start, end_date, nation, extra_holidays))
        Exit Function
    #End If
failed:
    NETWORKDAYS_UK = ScrFailed(Err.Description, Application.Caller)
End Function

Function SCR_DEADLINE(day0, milestone, Optional profile, Optional actuals, Optional overrides, Optional nation, Optional extra_holidays)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SCR_DEADLINE = XLPy.CallUDF("tracker.udfs", "SCR_DEADLINE", Array(day0, milestone, profile, actuals, overrides, nation, extra_holidays), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        SCR_DEADLINE = XLPy.CallUDF("tracker.udfs", "SCR_DEADLINE", Array(day0, milestone, profile, actuals, overrides, nation, extra_holidays))
        Exit Function
    #End If
failed:
    SCR_DEADLINE = ScrFailed(Err.Description, Application.Caller)
End Function

Function SCR_FLAGS(day0, milestone, Optional profile, Optional actuals, Optional overrides, Optional nation, Optional extra_holidays)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SCR_FLAGS = XLPy.CallUDF("tracker.udfs", "SCR_FLAGS", Array(day0, milestone, profile, actuals, overrides, nation, extra_holidays), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        SCR_FLAGS = XLPy.CallUDF("tracker.udfs", "SCR_FLAGS", Array(day0, milestone, profile, actuals, overrides, nation, extra_holidays))
        Exit Function
    #End If
failed:
    SCR_FLAGS = ScrFailed(Err.Description, Application.Caller)
End Function

Function SCR_PROFILES()
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SCR_PROFILES = XLPy.CallUDF("tracker.udfs", "SCR_PROFILES", Array(), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        SCR_PROFILES = XLPy.CallUDF("tracker.udfs", "SCR_PROFILES", Array())
        Exit Function
    #End If
failed:
    SCR_PROFILES = ScrFailed(Err.Description, Application.Caller)
End Function

Function SCR_RAG(status, target, last_update, Optional today, Optional amber_days, Optional cycle_months, Optional red_cycles, Optional started)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SCR_RAG = XLPy.CallUDF("tracker.udfs", "SCR_RAG", Array(status, target, last_update, today, amber_days, cycle_months, red_cycles, started), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        SCR_RAG = XLPy.CallUDF("tracker.udfs", "SCR_RAG", Array(status, target, last_update, today, amber_days, cycle_months, red_cycles, started))
        Exit Function
    #End If
failed:
    SCR_RAG = ScrFailed(Err.Description, Application.Caller)
End Function

Function SCR_RECEIPT(requested, due, promised, received, Optional today, Optional nil_return, Optional signed_copy_due, Optional signed_copy_received, Optional due_soon_days)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SCR_RECEIPT = XLPy.CallUDF("tracker.udfs", "SCR_RECEIPT", Array(requested, due, promised, received, today, nil_return, signed_copy_due, signed_copy_received, due_soon_days), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        SCR_RECEIPT = XLPy.CallUDF("tracker.udfs", "SCR_RECEIPT", Array(requested, due, promised, received, today, nil_return, signed_copy_due, signed_copy_received, due_soon_days))
        Exit Function
    #End If
failed:
    SCR_RECEIPT = ScrFailed(Err.Description, Application.Caller)
End Function

Function SCR_STATUS(due, Optional done, Optional today, Optional due_soon_days)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SCR_STATUS = XLPy.CallUDF("tracker.udfs", "SCR_STATUS", Array(due, done, today, due_soon_days), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        SCR_STATUS = XLPy.CallUDF("tracker.udfs", "SCR_STATUS", Array(due, done, today, due_soon_days))
        Exit Function
    #End If
failed:
    SCR_STATUS = ScrFailed(Err.Description, Application.Caller)
End Function

Function SCR_TIMESCALE(day0, Optional profile, Optional actuals, Optional overrides, Optional nation, Optional extra_holidays, Optional today, Optional due_soon_days)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SCR_TIMESCALE = XLPy.CallUDF("tracker.udfs", "SCR_TIMESCALE", Array(day0, profile, actuals, overrides, nation, extra_holidays, today, due_soon_days), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        SCR_TIMESCALE = XLPy.CallUDF("tracker.udfs", "SCR_TIMESCALE", Array(day0, profile, actuals, overrides, nation, extra_holidays, today, due_soon_days))
        Exit Function
    #End If
failed:
    SCR_TIMESCALE = ScrFailed(Err.Description, Application.Caller)
End Function

Function WORKDAY_UK(start, days, Optional nation, Optional extra_holidays)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        WORKDAY_UK = XLPy.CallUDF("tracker.udfs", "WORKDAY_UK", Array(start, days, nation, extra_holidays), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        WORKDAY_UK = XLPy.CallUDF("tracker.udfs", "WORKDAY_UK", Array(start, days, nation, extra_holidays))
        Exit Function
    #End If
failed:
    WORKDAY_UK = ScrFailed(Err.Description, Application.Caller)
End Function

' ---- not generated: appended by tools/scr_functions.py -------------------------------------

' A failed call: the error #VALUE! for the cell (so IFERROR falls back to Excel's own formula)
' and the message kept for SCR_LASTERROR and the Immediate window. A worksheet function may not
' change other cells, so the message cannot be written beside the cell; the status bar is not
' used either, because nothing would clear it once Python works again.
Private Function ScrFailed(ByVal description As String, ByVal caller As Variant) As Variant
    Dim message As String, key As String
    message = ScrMessageOf(description)
    ScrLastMessage = message
    On Error Resume Next   ' nothing here may stop the #VALUE! below
    Debug.Print "SCR: " & message   ' the Immediate window (LibreOffice Basic has no Debug object)
    ' not called from a cell: only the most recent message is kept
    key = caller.Cells(1, 1).Address(External:=True)
    If Len(key) > 0 Then
        If ScrMessages Is Nothing Then Set ScrMessages = New Collection
        ScrMessages.Remove key
        ScrMessages.Add message, key
    End If
    On Error GoTo 0
    ScrFailed = CVErr(xlErrValue)
End Function

' pywin32 hands VBA a Python error as "Unexpected Python Error: ..." (some versions with the
' traceback); the tracker's own sentence is the last line, after the exception's name. An error
' of xlwings' VBA itself (Python not found) is kept as it is.
Private Function ScrMessageOf(ByVal description As String) As String
    Dim parts() As String, i As Long, text As String, found As Long
    parts = Split(Replace(description, vbCr, vbLf), vbLf)
    For i = UBound(parts) To LBound(parts) Step -1
        text = Trim(parts(i))
        If Len(text) > 0 Then Exit For
    Next i
    found = InStr(text, "ScrError: ")
    If found > 0 Then text = Mid(text, found + Len("ScrError: "))
    If Len(text) = 0 Then text = "Python failed without a message: check Python and the tracker are installed."
    ScrMessageOf = text
End Function

' =SCR_LASTERROR(A1): why A1 shows #VALUE! (blank when A1 is not an error from these functions).
' =SCR_LASTERROR(): the most recent failure since the workbook's VBA started (it recalculates
' with every calculation, in no fixed order: press F9 again if it lags). Kept in memory only:
' after the VBA is reset, recalculate (Ctrl+Alt+F9) to fill it again.
Function SCR_LASTERROR(Optional cell As Variant)
    SCR_LASTERROR = ""
    If IsMissing(cell) Then
        Application.Volatile
        SCR_LASTERROR = ScrLastMessage
        Exit Function
    End If
    On Error GoTo unknown
    If Not IsError(cell.Cells(1, 1).Value) Then Exit Function
    SCR_LASTERROR = ScrMessages(cell.Cells(1, 1).Address(External:=True))
    Exit Function
unknown:
    SCR_LASTERROR = ""
End Function
