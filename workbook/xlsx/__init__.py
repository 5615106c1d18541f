"""Spreadsheet machinery that knows no case: patching a file, writing safely, writing live into an open book."""
