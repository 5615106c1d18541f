"""Growing a table of a workbook being patched: rows appended below it, as Excel grows one."""
from __future__ import annotations

from typing import Mapping

from lxml import etree
from openpyxl.formula.translate import Translator

from tracker.errors import ScrError
from workbook.xlsx.refs import bounds, col_letters, range_ref, split_ref
from workbook.xlsx.sheet import Worksheet
from workbook.xlsx.values import XM_NS, Formula, header_key, local_name, unescape, xml_text


class TableWriter:
    """Mixin of :class:`workbook.xlsx.patch.Patch`: tables and what grows with them."""

    # ----- tables

    def _tables(self, sheet: Worksheet):
        for kind, target in self._rels(sheet.part).values():
            if kind == "table":
                yield target, self._part(target)

    def append_table_rows(
        self, sheet_name: str, table_name: str, rows: list[Mapping[str, object]], heights=None
    ) -> list[int]:
        """Write ``rows`` ({column header: value}) below the table and grow the table over them.

        Returns the sheet row numbers written. Missing columns are left empty, except
        calculated columns, which get the column's formula (no cached value). ``heights``: each
        row's height in points (else the last row's is copied), since a spreadsheet does not grow
        a row to fit wrapped text on opening, and a printed row would cut it off.
        """
        sheet = self._sheet(sheet_name)
        where = dict(file=self.path, sheet=sheet.name)
        tables = list(self._tables(sheet))
        tpart, table = self._table(sheet, table_name)
        tq = lambda tag: f"{{{etree.QName(table).namespace}}}{tag}"  # noqa: E731
        if int(table.get("totalsRowCount", "0")):
            raise ScrError(
                f"table '{table_name}' has a Total Row, so rows cannot be added below it", **where,
                fix="click in the table, untick Table Design > Total Row, and try again.",
            )
        if not rows:
            return []
        c1, r1, c2, r2 = bounds(table.get("ref"))
        first = r1 + int(table.get("headerRowCount", "1"))
        columns = list(table.iter(tq("tableColumn")))
        index = {header_key(tc.get("name", "")): i for i, tc in enumerate(columns)}
        for values in rows:
            for key in values:
                if header_key(key) not in index:
                    known = ", ".join(unescape(tc.get("name", "")) for tc in columns)
                    raise ScrError(f"table '{table_name}' has no column '{key}' (columns: {known})", **where)
        calculated = {i for i, tc in enumerate(columns) if tc.find(tq("calculatedColumnFormula")) is not None}

        template = r2 if r2 >= first else None
        start = r2 + 1
        if r2 == first and self._blank_row(sheet, r2, c1, calculated):
            start = r2  # Excel's "empty" table: header + one blank row; fill that row
        end = start + len(rows) - 1
        self._check_free(sheet, tables, tpart, c1, c2, max(start, r2 + 1), end, table_name)

        # Each calculated column's formula and the cell it is written for, found once.
        sources = {
            i: self._column_formula(sheet, columns[i], tq, c1 + i, template, first) for i in calculated
        }
        for n, values in enumerate(rows):
            r = start + n
            given = {index[header_key(k)]: v for k, v in values.items()}
            if r != template and template is not None:
                self._copy_row_format(sheet, template, r)
            if heights is not None:
                row_el = sheet.row(r)
                row_el.set("ht", f"{heights[n]:g}")
                row_el.set("customHeight", "1")
            for i in range(len(columns)):
                col = c1 + i
                if i in given:
                    value = given[i]
                elif i in calculated:
                    text, origin = sources[i]
                    here = f"{col_letters(col)}{r}"
                    value = Formula(Translator("=" + text, origin=origin).translate_formula(here))
                else:
                    value = None
                c = sheet.cell(col, r)
                if template is not None and r != template:
                    tc = sheet.cell(col, template, create=False)
                    if tc is not None and tc.get("s"):
                        c.set("s", tc.get("s"))
                self._write(sheet, c, col, r, value)

        new_r2 = max(r2, end)
        table.set("ref", range_ref(c1, r1, c2, new_r2))
        for el in (table.find(tq("autoFilter")), table.find(f"{tq('autoFilter')}/{tq('sortState')}")):
            if el is not None and el.get("ref"):
                a = bounds(el.get("ref"))
                el.set("ref", range_ref(a[0], a[1], a[2], max(a[3], new_r2)))
        if new_r2 > r2:
            self._extend_validation(sheet, c1, c2, first, r2, new_r2)
        sheet.grow_dimension(c1, start, c2, end)
        self._touch(tpart)
        self._touch(sheet.part)
        return list(range(start, end + 1))

    def add_table_columns(self, sheet_name: str, table_name: str, columns: list[tuple[str, float, str | None]]) -> str:
        """Add ``columns`` ((header, width, date format or None), in order) at the right of a table,
        as Excel's "Insert Table Column to the Right" of its last column does: the table, its filter
        and the sheet's width grow, each new cell takes the style of the last column's cell in its
        row (its lock, fill, border), with a date format where one is given. Returns the new
        columns' range. Refused (ScrError, nothing changed) when a cell beside the table holds
        anything or another table is there: what the board manager put there is never covered."""
        sheet = self._sheet(sheet_name)
        tpart, table = self._table(sheet, table_name)
        tq = lambda tag: f"{{{etree.QName(table).namespace}}}{tag}"  # noqa: E731
        c1, r1, c2, r2 = bounds(table.get("ref"))
        n1, n2 = c2 + 1, c2 + len(columns)
        if not columns:
            return ""
        for part, other in self._tables(sheet):
            o = bounds(other.get("ref"))
            if part != tpart and o[0] <= n2 and n1 <= o[2] and o[1] <= r2 and r1 <= o[3]:
                raise ScrError(f"table '{table_name}' cannot take new columns: table '{other.get('displayName')}' "
                               "is beside it", file=self.path, sheet=sheet.name, column=col_letters(o[0]),
                               fix="move the other table away from the right of this one, and try again.")
        for r in range(r1, r2 + 1):
            for col in range(n1, n2 + 1):
                c = sheet.cell(col, r, create=False)
                if c is not None and any(local_name(x) in ("v", "f", "is") for x in c):
                    raise ScrError(f"table '{table_name}' cannot take new columns: the cell beside it is not empty",
                                   file=self.path, sheet=sheet.name, row=r, column=col_letters(col),
                                   fix="move what is to the right of the table further right, and try again.")
        tcols = table.find(tq("tableColumns"))
        next_id = max(int(tc.get("id", "0")) for tc in tcols) + 1
        last_style = sheet.column_style(c2)  # an empty cell of the last column shows its column's style
        for i, (header, _w, date_fmt) in enumerate(columns):
            col = n1 + i
            etree.SubElement(tcols, tq("tableColumn"), id=str(next_id + i), name=xml_text(header))
            for r in range(r1, r2 + 1):
                c, beside = sheet.cell(col, r), sheet.cell(c2, r, create=False)
                style = beside.get("s") if beside is not None else last_style
                if style and date_fmt and r > r1:
                    style = str(self._date_style(int(style), date_fmt))
                if style:
                    c.set("s", style)
                if r == r1:
                    self._write(sheet, c, col, r, header)
        tcols.set("count", str(len(tcols)))
        table.set("ref", range_ref(c1, r1, n2, r2))
        af = table.find(tq("autoFilter"))
        if af is not None and af.get("ref"):
            a = bounds(af.get("ref"))
            af.set("ref", range_ref(a[0], a[1], n2, a[3]))
        self._set_widths(sheet, n1, [w for _h, w, _f in columns], last_style)
        sheet.grow_dimension(n1, r1, n2, r2)
        self._touch(tpart)
        self._touch(sheet.part)
        return range_ref(n1, r1, n2, r2)

    @staticmethod
    def _set_widths(sheet: Worksheet, first: int, widths: list[float], style: str | None) -> None:
        """Width and style for new columns that have none of their own (a width the user set stays):
        the style, so a cell of the column nobody has written yet is unlocked as its neighbours are."""
        cols = sheet.root.find(sheet.q("cols"))
        if cols is None:
            cols = etree.Element(sheet.q("cols"))
            sheet.data.addprevious(cols)  # <cols> comes just before <sheetData>
        taken = [(int(c.get("min", 0)), int(c.get("max", 0))) for c in cols.iterfind(sheet.q("col"))]
        for i, w in enumerate(widths):
            col = first + i
            if any(a <= col <= b for a, b in taken):
                continue
            el = etree.Element(sheet.q("col"), min=str(col), max=str(col), width=f"{w + 0.71:g}", customWidth="1")
            if style:
                el.set("style", style)
            later = [c for c in cols.iterfind(sheet.q("col")) if int(c.get("min", 0)) > col]
            (later[0].addprevious(el) if later else cols.append(el))

    def _table(self, sheet: Worksheet, table_name: str):
        """(part, element) of the sheet's table of that name (Excel's or its display name)."""
        tables = list(self._tables(sheet))
        found = [(p, t) for p, t in tables if table_name.casefold() in
                 (t.get("displayName", "").casefold(), t.get("name", "").casefold())]
        if not found:
            names = ", ".join(t.get("displayName", "?") for _, t in tables) or "none"
            raise ScrError(f"there is no table called '{table_name}' on this sheet (tables: {names})",
                           file=self.path, sheet=sheet.name)
        return found[0]

    def _blank_row(self, sheet: Worksheet, r: int, c1: int, calculated: set[int]) -> bool:
        row = sheet.row(r, create=False)
        if row is None:
            return True
        for c in row.iterfind(sheet.q("c")):
            col = split_ref(c.get("r"))[0]
            if col - c1 in calculated:
                continue
            if any(local_name(x) in ("v", "f", "is") for x in c):
                return False
        return True

    def _check_free(self, sheet, tables, tpart, c1, c2, r_from, r_to, table_name) -> None:
        # Excel would refuse to grow a table over other data; we must not overwrite it either.
        for part, other in tables:
            if part == tpart:
                continue
            o = bounds(other.get("ref"))
            if o[0] <= c2 and c1 <= o[2] and o[1] <= r_to and r_from <= o[3]:
                raise ScrError(
                    f"table '{table_name}' cannot grow: table '{other.get('displayName')}' is below it",
                    file=self.path, sheet=sheet.name, row=o[1],
                    fix="move the other table further down (or to another sheet) and try again.",
                )
        for r in range(r_from, r_to + 1):
            for col in range(c1, c2 + 1):
                c = sheet.cell(col, r, create=False)
                if c is not None and any(local_name(x) in ("v", "f", "is") for x in c):
                    raise ScrError(
                        f"table '{table_name}' cannot grow: the cell below it is not empty",
                        file=self.path, sheet=sheet.name, row=r, column=col_letters(col),
                        fix="move what is below the table further down, and try again.",
                    )

    def _copy_row_format(self, sheet: Worksheet, src: int, dst: int) -> None:
        a, b = sheet.row(src, create=False), sheet.row(dst)
        if a is None:
            return
        for attr in ("s", "customFormat", "ht", "customHeight"):
            if a.get(attr) is not None and b.get(attr) is None:
                b.set(attr, a.get(attr))

    def _column_formula(self, sheet, tc, tq, col, template, first) -> tuple[str, str]:
        """(formula, cell it is written for) of a calculated column: the last row's own formula
        (the user may have changed it since), else the table's stored one (for the first row)."""
        if template is not None:
            cell = sheet.cell(col, template, create=False)
            text = sheet.formula_text(cell) if cell is not None else None
            if text:
                return text, f"{col_letters(col)}{template}"
        return tc.find(tq("calculatedColumnFormula")).text or "", f"{col_letters(col)}{first}"

    def _extend_validation(self, sheet: Worksheet, c1, c2, first, old_last, new_last) -> None:
        """Grow data validation and conditional formatting that cover whole table columns,
        as Excel does when a table grows (so new rows get the user's drop-downs and colours)."""

        def grow(sqref: str) -> str:
            out = []
            for part in sqref.split():
                try:
                    a = bounds(part)
                except ValueError:
                    out.append(part)
                    continue
                if a[1] <= first and a[3] == old_last and a[0] <= c2 and c1 <= a[2]:
                    a = (a[0], a[1], a[2], new_last)
                out.append(range_ref(*a))
            return " ".join(out)

        q = sheet.q
        for el in [*sheet.root.iter(q("dataValidation")), *sheet.root.iter(q("conditionalFormatting"))]:
            if el.get("sqref"):
                el.set("sqref", grow(el.get("sqref")))
        for el in sheet.root.iter(f"{{{XM_NS}}}sqref"):
            if local_name(el.getparent()) in ("dataValidation", "conditionalFormatting") and el.text:
                el.text = grow(el.text)
