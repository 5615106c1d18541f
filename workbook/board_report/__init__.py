"""The Board's progress report workbook."""
