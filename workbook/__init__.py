"""The case workbook: its layout, safe reading and writing, agency sheets."""
