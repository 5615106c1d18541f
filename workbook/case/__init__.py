"""The case workbook: its layout, formulas, building, reading, computed cells, Audit rows and the session."""
