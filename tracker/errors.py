"""The one error a board manager sees.

Every message names where the problem is (file, sheet, row, column) and what to do about it,
so the CLI and the worksheet functions can show it without a traceback.
"""
from __future__ import annotations


class ScrError(Exception):
    def __init__(self, message: str, *, file=None, sheet=None, row=None, column=None, fix=None, header=None):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.sheet = sheet
        self.row = row
        self.column = column  # the column letter
        self.fix = fix
        self.header = header  # the column's header, shown beside the letter

    def where(self, file: bool = True) -> str:
        """Where the problem is; ``file=False`` leaves the file out (a message about one file)."""
        parts = []
        if self.file and file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}" + (f" ({self.header})" if self.header else ""))
        elif self.header:
            parts.append(f"column '{self.header}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        if self.fix:
            text += f" Fix: {self.fix}"
        return text

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("message", "file", "sheet", "row", "column", "header", "fix")}


class ExcelError(ScrError):
    """An Excel error value (#NUM!, #VALUE!) raised where Excel itself would return one."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code

    def __str__(self) -> str:
        return f"{self.code} {self.message}"
