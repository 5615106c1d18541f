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
