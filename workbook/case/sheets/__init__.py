"""The case workbook's sheets, a module each; workbook.case.build writes them in order."""
