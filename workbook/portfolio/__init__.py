"""The board's portfolio workbook (issue 10)."""
