"""workbook.xlsx.patch on real files: what we change is readable everywhere, the rest survives."""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableColumn, TableFormula

from libreoffice import convert, read_csv
from tracker.errors import ScrError
from workbook.xlsx import locks, safe
from workbook.xlsx.patch import ErrorValue, Formula, Patch

# openpyxl drops the x14 data validation it cannot model, and says so; that is expected here.
pytestmark = pytest.mark.filterwarnings("ignore:Data Validation extension:UserWarning")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
EXCEL_ROOT = (
    f'<worksheet xmlns="{MAIN}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr xr2 xr3" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
    'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
    'xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2" '
    'xmlns:xr3="http://schemas.microsoft.com/office/spreadsheetml/2016/revision3" '
    'xr:uid="{00000000-0001-0000-0000-000000000000}">'
)
X14_DV = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" '
    'xr:uid="{11111111-2222-3333-4444-555555555555}"><x14:formula1><xm:f>Lists!$A$1:$A$3</xm:f>'
    "</x14:formula1><xm:sqref>C2:C4</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
)
VBA = bytes(range(256)) * 40 + b"VBA project stand-in"
HEADERS = ["Milestone", "Due", "Done", "Owner", "Length"]


def build_case(path: Path, *, vba: bool = False) -> Path:
    """A case workbook as a user leaves it: table, note, chart, validation, colours, names,
    another sheet, Excel-style namespaces and x14 extensions, calc chain, shared formulas."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(HEADERS)
    for i, (name, due, done, owner) in enumerate(
        [("Notification", dt.date(2026, 1, 5), True, "LA"), ("Scoping", dt.date(2026, 2, 2), False, "Police"),
         ("Panel", dt.date(2026, 3, 2), False, "Health")], start=2):
        ws.append([name, due, done, owner, "=LEN(tblPlan[[#This Row],[Milestone]])"])
        ws.cell(i, 2).number_format = "dd/mm/yyyy"
        ws.cell(i, 4).font = Font(bold=True, color="FF0000")
    table = Table(displayName="tblPlan", ref="A1:E4")
    for i, h in enumerate(HEADERS, 1):
        table.tableColumns.append(TableColumn(id=i, name=h))
    table.tableColumns[4].calculatedColumnFormula = TableFormula(attr_text="LEN(tblPlan[[#This Row],[Milestone]])")
    ws.add_table(table)
    ws["G1"] = "My notes"  # the user's own column beside the table
    ws["G2"] = "keep me"
    ws["A2"].comment = Comment("Chased on 04/01", "Board manager")
    dv = DataValidation(type="list", formula1='"LA,Police,Health"')
    dv.add("D2:D4")
    ws.add_data_validation(dv)
    ws.conditional_formatting.add(
        "B2:B4", CellIsRule(operator="lessThan", formula=["DATE(2026,2,1)"], fill=PatternFill("solid", bgColor="FFC7CE"))
    )
    ws["I1"], ws["J1"] = "Stat", "Deadline"
    ws["I2"] = 12
    ws["I2"].number_format = "0.00"
    ws["I2"].font = Font(italic=True)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=9, min_row=2, max_row=4))
    ws.add_chart(chart, "L2")
    lists = wb.create_sheet("Lists")
    for r, word in enumerate(["Yes", "No", "N/A"], 1):
        lists.cell(r, 1, word)
        lists.cell(r, 2, f"=LEN(A{r})*2")
    wb.defined_names["CaseName"] = DefinedName("CaseName", attr_text="Plan!$A$1")
    wb.save(path)
    return excelify(path, vba=vba)


def excelify(path: Path, *, vba: bool) -> Path:
    """Make openpyxl's output look like Excel's in the ways that matter to a patcher."""
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i)) for i in z.infolist()]
    out = []
    for info, data in members:
        text = data.decode("utf-8") if info.filename.endswith((".xml", ".rels")) else None
        if info.filename == "xl/worksheets/sheet1.xml":
            text = re.sub(r"^(<\?xml[^>]*\?>)?<worksheet[^>]*>", EXCEL_ROOT, text)
            text = re.sub(r'<row r="(\d+)"', r'<row r="\1" spans="1:10" x14ac:dyDescent="0.25"', text)
            text = text.replace("</worksheet>", X14_DV + "</worksheet>")
        elif info.filename == "xl/worksheets/sheet2.xml":  # what Excel writes after a fill-down
            text = text.replace("<f>LEN(A1)*2</f>", '<f t="shared" ref="B1:B3" si="0">LEN(A1)*2</f>')
            text = re.sub(r"<f>LEN\(A[23]\)\*2</f>", '<f t="shared" si="0"/>', text)
            text = re.sub(r"<v\s*/>|<v></v>", "", text)
        elif info.filename == "xl/workbook.xml":
            text = text.replace('<calcPr calcId="124519" fullCalcOnLoad="1"/>', '<calcPr calcId="191029"/>')
        elif info.filename == "xl/_rels/workbook.xml.rels":
            extra = ('<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                     'relationships/calcChain" Target="calcChain.xml"/>')
            if vba:
                extra += ('<Relationship Id="rId91" Type="http://schemas.microsoft.com/office/2006/'
                          'relationships/vbaProject" Target="vbaProject.bin"/>')
            text = text.replace("</Relationships>", extra + "</Relationships>")
        elif info.filename == "[Content_Types].xml":
            extra = ('<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
                     'officedocument.spreadsheetml.calcChain+xml"/>'
                     '<Override PartName="/xl/ctrlProps/ctrlProp1.xml" '
                     'ContentType="application/vnd.ms-excel.controlproperties+xml"/>')
            if vba:
                extra += '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                text = text.replace("spreadsheetml.sheet.main+xml", "").replace(
                    'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument."',
                    'PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"')
            text = text.replace("</Types>", extra + "</Types>")
        if text is not None:
            text = re.sub(r"^<\?xml[^>]*\?>\s*", "", text)
            data = (DECL + text).encode("utf-8")
        out.append((info.filename, data))
    out.append(("xl/calcChain.xml", (
        f'{DECL}<calcChain xmlns="{MAIN}"><c r="E2" i="1"/><c r="E3"/><c r="E4"/>'
        '<c r="B1" i="2"/><c r="B2"/><c r="B3"/></calcChain>').encode()))
    out.append(("xl/ctrlProps/ctrlProp1.xml", (
        f'{DECL}<formControlPr xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" '
        'objectType="Button" lockText="1"/>').encode()))
    if vba:
        out.append(("xl/vbaProject.bin", VBA))
    path.unlink()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in out:
            z.writestr(name, data)
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def rewrite(path: Path, part: str, change) -> None:
    """Change one part's text in place (to make the shapes Excel writes but openpyxl cannot)."""
    data = members(path)
    data[part] = change(data[part].decode()).encode()
    path.unlink()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in data.items():
            z.writestr(name, blob)


def sheet_xml(path: Path, part="xl/worksheets/sheet1.xml"):
    return etree.fromstring(members(path)[part])


@pytest.fixture
def case(tmp_path) -> Path:
    return build_case(tmp_path / "Case.xlsx")


DEADLINE = dt.date(2026, 11, 27)


def full_patch(path: Path) -> list[int]:
    p = Patch(path)
    p.set_cells("Plan", {
        "J2": Formula("=SCR_DEADLINE(B2)", cached=DEADLINE),
        "J3": Formula("=SCR_STATUS(B3)", cached="Overdue"),
        "J4": Formula("=SCR_CHECK(B4)", cached=True),
        "K2": Formula("=SCR_DEADLINE(B9)", cached=ErrorValue("#N/A")),
        "K3": Formula("=2+3"),  # no cached value: every app computes it on load
        "I2": dt.date(2026, 12, 25),  # italic "0.00" cell: must become a date, still italic
        "I3": 42.5,
        "H5": "  Line one\nLine two _x0041_ \x07",
        "A20": -7,
        "M1": None,  # clearing a cell that does not exist: no-op
    })
    rows = p.append_table_rows("Plan", "tblPlan", [
        {"Milestone": "Report", "Due": dt.date(2026, 6, 1), "Done": False, "owner": "LA"},
        {"Milestone": "Publication", "Due": dt.date(2026, 9, 1)},
    ])
    p.save()
    return rows


# --------------------------------------------------------------------------- the whole story


def test_untouched_members_are_byte_identical_and_in_order(case):
    before = members(case)
    full_patch(case)
    after = members(case)
    edited = {"xl/worksheets/sheet1.xml", "xl/tables/table1.xml", "xl/styles.xml",
              "[Content_Types].xml", "xl/_rels/workbook.xml.rels"}
    assert list(after) == [n for n in before if n != "xl/calcChain.xml"]  # formulas were added
    for name in after:
        if name not in edited:
            assert after[name] == before[name], name
    assert before["xl/worksheets/sheet2.xml"] == after["xl/worksheets/sheet2.xml"]


def test_openpyxl_reads_values_formulas_and_table(case):
    assert full_patch(case) == [5, 6]
    wb = openpyxl.load_workbook(case)
    ws = wb["Plan"]
    assert ws["J2"].value == "=SCR_DEADLINE(B2)"
    assert ws["I3"].value == 42.5
    assert ws["I2"].value == dt.datetime(2026, 12, 25)
    assert ws["A20"].value == -7
    assert ws["A5"].value == "Report" and ws["B5"].value == dt.datetime(2026, 6, 1)
    assert ws["C5"].value is False and ws["D5"].value == "LA"
    assert ws["E5"].value == ws["E6"].value == "=LEN(tblPlan[[#This Row],[Milestone]])"
    assert ws["A6"].value == "Publication" and ws["D6"].value is None
    assert ws["G2"].value == "keep me" and ws["A2"].comment.text == "Chased on 04/01"
    assert ws.tables["tblPlan"].ref == "A1:E6"
    assert ws["B5"].number_format == "dd/mm/yyyy" and ws["D6"].font.b  # styles follow the column
    assert ws["I2"].number_format == "dd/mm/yyyy" and ws["I2"].font.i  # date shows; italic kept
    assert "CaseName" in wb.defined_names
    cached = openpyxl.load_workbook(case, data_only=True)["Plan"]
    assert cached["J2"].value == dt.datetime(2026, 11, 27)
    assert cached["J3"].value == "Overdue" and cached["J4"].value is True
    assert cached["K2"].value == "#N/A"


def test_libreoffice_shows_the_cached_values(case, tmp_path):
    full_patch(case)
    rows = read_csv(convert(case, "csv", tmp_path / "csv", locale=None))
    assert rows[1][9] == "27/11/2026"  # SCR_DEADLINE's cached answer, not #NAME?
    assert rows[2][9] == "Overdue"
    # J4 (cached TRUE) and K2 (cached #N/A) are not checked here: LibreOffice 7.4 keeps cached
    # numbers and text but recalculates formulas whose cached result is a boolean or an error,
    # so an add-in function shows #NAME? there. openpyxl above reads them as written.
    assert rows[2][10] == "5"  # formula without a cached value: computed on load
    assert rows[1][8] == "25/12/2026" and rows[2][8] == "42.5"
    assert rows[4][:5] == ["Report", "01/06/2026", "FALSE", "LA", "6"]
    assert rows[5][:5] == ["Publication", "01/09/2026", "", "", "11"]
    assert rows[4][7] == "  Line one\nLine two _x0041_ \x07"
    assert rows[19][0] == "-7"
    assert rows[1][6] == "keep me"


def test_excel_namespaces_declaration_and_extensions_survive(case):
    old = etree.fromstring(members(case)["xl/worksheets/sheet1.xml"])
    full_patch(case)
    raw = members(case)["xl/worksheets/sheet1.xml"].decode()
    assert raw.startswith(DECL)
    root = etree.fromstring(raw.encode())
    # Same prefixes for the same namespaces, same mc:Ignorable and xr:uid (lxml writes the
    # xmlns declarations first; attribute order carries no meaning in XML).
    assert root.nsmap == old.nsmap and dict(root.attrib) == dict(old.attrib)
    assert 'mc:Ignorable="x14ac xr xr2 xr3"' in raw and "<x14:dataValidations " in raw
    assert 'x14ac:dyDescent="0.25"' in raw and "<x14:dataValidation " in raw
    assert "<xm:sqref>C2:C6</xm:sqref>" in raw  # the user's drop-down grew with the table
    ns = {"m": MAIN}
    assert root.find("m:dataValidations/m:dataValidation", ns).get("sqref") == "D2:D6"
    assert root.find("m:conditionalFormatting", ns).get("sqref") == "B2:B6"
    assert root.find("m:dimension", ns).get("ref") == "A1:K20"
    wbxml = members(case)["xl/workbook.xml"].decode()
    assert "fullCalcOnLoad" not in wbxml


def test_rows_and_cells_are_created_in_order(case):
    p = Patch(case)
    p.set_cells("Plan", {"Z9": 1, "B9": 2, "AA9": 3, "C7": 4, "A100": 5, "XFD1": 6, "F3": 7})
    p.save()
    root = sheet_xml(case)
    rows = root.findall(f"{{{MAIN}}}sheetData/{{{MAIN}}}row")
    numbers = [int(r.get("r")) for r in rows]
    assert numbers == sorted(numbers) and {7, 9, 100} <= set(numbers)
    for row in rows:
        cols = [openpyxl.utils.column_index_from_string(re.match(r"[A-Z]+", c.get("r")).group())
                for c in row.findall(f"{{{MAIN}}}c")]
        assert cols == sorted(cols), row.get("r")
    assert [c.get("r") for c in rows[numbers.index(9)]] == ["B9", "Z9", "AA9"]
    assert rows[0].get("spans") == "1:16384"
    assert root.find(f"{{{MAIN}}}dimension").get("ref") == "A1:XFD100"
    assert openpyxl.load_workbook(case)["Plan"]["XFD1"].value == 6


def test_a_new_cell_takes_its_columns_style_or_its_rows(tmp_path):
    """An absent cell is shown in its column's style (or its row's own format); writing into it
    must keep that style, as Excel does, not fall back to the workbook's default."""
    from openpyxl.styles import Protection
    path = tmp_path / "styled.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws["A1"] = "typed"
    ws.column_dimensions["C"].font = Font(name="Arial", size=10, b=True)
    ws.column_dimensions["C"].fill = PatternFill("solid", fgColor="FFFFF0")
    ws.column_dimensions["C"].protection = Protection(locked=False)
    ws.row_dimensions[5].font = Font(name="Arial", i=True)
    wb.save(path)
    p = Patch(path)
    p.set_cells("Plan", {"C1": "by import", "C2": dt.date(2026, 12, 1), "E5": "in a formatted row", "G1": "plain"})
    p.save()
    ws = openpyxl.load_workbook(path)["Plan"]
    for ref in ("C1", "C2"):
        c = ws[ref]
        assert c.font.b and c.font.name == "Arial" and c.fill.fgColor.rgb == "00FFFFF0" and not c.protection.locked, ref
    assert ws["C2"].number_format == "dd/mm/yyyy"  # a date still shows as a date
    assert ws["E5"].font.i
    assert not ws["G1"].font.b and ws["G1"].protection.locked


def test_clearing_keeps_the_style(case):
    p = Patch(case)
    p.set_cells("Plan", {"B2": None, "D3": None})
    p.save()
    ws = openpyxl.load_workbook(case)["Plan"]
    assert ws["B2"].value is None and ws["B2"].number_format == "dd/mm/yyyy"
    assert ws["D3"].value is None and ws["D3"].font.b
    assert ws["D2"].value == "LA"


# --------------------------------------------------------------------------- calc chain


def test_calc_chain_kept_when_no_formula_cell_appears_or_goes(case):
    before = members(case)
    p = Patch(case)
    p.set_cells("Plan", {"I2": 3, "E2": Formula("=LEN(A2)+1", cached=13)})  # formula -> formula
    p.save()
    after = members(case)
    assert list(after) == list(before)
    for name in ("xl/calcChain.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
        assert after[name] == before[name]


@pytest.mark.parametrize("change", [{"I2": Formula("=1+1", cached=2)}, {"E3": "typed over"}])
def test_calc_chain_dropped_cleanly_when_formula_cells_change(case, change):
    p = Patch(case)
    p.set_cells("Plan", change)
    p.save()
    after = members(case)
    assert "xl/calcChain.xml" not in after
    assert b"calcChain" not in after["[Content_Types].xml"]
    assert b"calcChain" not in after["xl/_rels/workbook.xml.rels"]
    openpyxl.load_workbook(case)


# --------------------------------------------------------------------------- formulas Excel shares


def test_overwriting_a_shared_formula_master_keeps_its_followers(case, tmp_path):
    p = Patch(case)
    p.set_cells("Lists", {"B1": 99})
    p.save()
    ws = openpyxl.load_workbook(case)["Lists"]
    assert [ws["B1"].value, ws["B2"].value, ws["B3"].value] == [99, "=LEN(A2)*2", "=LEN(A3)*2"]
    rows = read_csv(convert(case, "csv", tmp_path / "csv", sheet="Lists", locale=None))
    assert [r[1] for r in rows] == ["99", "4", "6"]


def test_table_row_from_a_shared_formula_follower(tmp_path):
    # A calculated column stored as a shared formula (Excel does this after fill-down).
    path = build_case(tmp_path / "Case.xlsx")
    formula = "<f>LEN(tblPlan[[#This Row],[Milestone]])</f>"
    rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        formula, '<f t="shared" ref="E2:E4" si="0">LEN(tblPlan[[#This Row],[Milestone]])</f>', 1
    ).replace(formula, '<f t="shared" si="0"/>'))
    p = Patch(path)
    p.append_table_rows("Plan", "tblPlan", [{"Milestone": "Extra"}])
    p.save()
    assert openpyxl.load_workbook(path)["Plan"]["E5"].value == "=LEN(tblPlan[[#This Row],[Milestone]])"


def test_array_formula_cells_are_refused(case):
    def add_array(xml: str) -> str:
        xml = xml.replace("</row>", '<c r="C1"><f t="array" ref="C1:C2">A1:A2</f><v>0</v></c></row>', 1)
        head, _, tail = xml.partition('<row r="2"')
        return head + '<row r="2"' + tail.replace("</row>", '<c r="C2"><v>0</v></c></row>', 1)

    rewrite(case, "xl/worksheets/sheet2.xml", add_array)
    p = Patch(case)
    with pytest.raises(ScrError, match="array formula") as err:
        p.set_cells("Lists", {"C2": 1})
    assert err.value.row == 2 and err.value.column == "C"
    p.set_cells("Lists", {"C1": Formula("=A1:A2*2", cached=0)})  # the master itself may change


# --------------------------------------------------------------------------- tables


def test_empty_table_row_is_filled_first(tmp_path):
    path = tmp_path / "Empty.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Agency", "Due"])
    ws["B2"].number_format = "dd/mm/yyyy"
    ws.add_table(Table(displayName="tblReturns", ref="A1:B2"))
    wb.save(path)
    p = Patch(path)
    assert p.append_table_rows(ws.title, "TBLRETURNS", [{"Agency": "Police", "Due": dt.date(2026, 5, 1)},
                                                         {"Agency": "Health"}]) == [2, 3]
    p.save()
    ws = openpyxl.load_workbook(path).active
    assert ws.tables["tblReturns"].ref == "A1:B3"
    assert [ws["A2"].value, ws["A3"].value] == ["Police", "Health"]
    assert ws["B2"].number_format == "dd/mm/yyyy"


def test_unknown_column_is_refused_before_any_change(case):
    p = Patch(case)
    with pytest.raises(ScrError, match="no column 'Colour'") as err:
        p.append_table_rows("Plan", "tblPlan", [{"Milestone": "x", "Colour": "red"}])
    assert err.value.sheet == "Plan" and "Milestone" in str(err.value)


def test_content_below_the_table_is_never_overwritten(case):
    p = Patch(case)
    p.set_cells("Plan", {"C6": "user's total"})
    p.save()
    before = case.read_bytes()
    p = Patch(case)
    with pytest.raises(ScrError, match="not empty") as err:
        p.append_table_rows("Plan", "tblPlan", [{"Milestone": "a"}, {"Milestone": "b"}])
    assert (err.value.row, err.value.column) == (6, "C")
    assert case.read_bytes() == before


def test_total_row_is_refused(case):
    rewrite(case, "xl/tables/table1.xml", lambda xml: xml.replace('ref="A1:E4"', 'ref="A1:E4" totalsRowCount="1"', 1))
    with pytest.raises(ScrError, match="Total Row"):
        Patch(case).append_table_rows("Plan", "tblPlan", [{"Milestone": "a"}])


def test_unknown_table_and_sheet_name_what_exists(case):
    p = Patch(case)
    assert p.sheet_names() == ["Plan", "Lists"]
    with pytest.raises(ScrError, match=r"tables: tblPlan"):
        p.append_table_rows("Plan", "tblNope", [{}])
    with pytest.raises(ScrError, match=r"sheets: Plan, Lists"):
        p.set_cells("Nope", {"A1": 1})
    with pytest.raises(ScrError, match="not a cell reference"):
        p.set_cells("Plan", {"1A": 1})


# --------------------------------------------------------------------------- safety of save


def test_xlsm_vba_project_survives_byte_identical(tmp_path):
    path = build_case(tmp_path / "Case.xlsm", vba=True)
    full_patch(path)
    after = members(path)
    assert after["xl/vbaProject.bin"] == VBA
    assert b"macroEnabled.main+xml" in after["[Content_Types].xml"]
    assert b"vbaProject" in after["xl/_rels/workbook.xml.rels"]
    assert openpyxl.load_workbook(path, keep_vba=True)["Plan"]["A5"].value == "Report"


def test_lock_file_means_refusal_and_identical_file(case):
    before = case.read_bytes()
    p = Patch(case)
    p.set_cells("Plan", {"A2": "changed"})
    locks.lock_file_for(case).write_bytes(b"\x05Alice")
    with pytest.raises(ScrError, match="close it in Excel and try again"):
        p.save()
    assert case.read_bytes() == before
    assert not (case.parent / "backups").exists()


def test_save_keeps_a_backup_of_the_old_workbook(case):
    before = case.read_bytes()
    p = Patch(case)
    p.set_cells("Plan", {"A2": "changed"})
    backup = p.save()
    assert backup.parent == case.parent / "backups" and backup.read_bytes() == before
    assert safe.backups_of(case) == [backup]


def test_workbook_changed_since_reading_is_not_overwritten(case):
    p = Patch(case)
    p.set_cells("Plan", {"A2": "ours"})
    other = Patch(case)
    other.set_cells("Plan", {"A3": "theirs"})
    other.save()
    theirs = case.read_bytes()
    with pytest.raises(ScrError, match="changed by someone else"):
        p.save()
    assert case.read_bytes() == theirs


def test_a_patch_can_be_saved_twice(case):
    p = Patch(case)
    p.set_cells("Plan", {"A2": "first", "K9": Formula("=1+1", cached=2)})
    p.save()
    p.set_cells("Plan", {"A3": "second"})
    p.save()
    ws = openpyxl.load_workbook(case)["Plan"]
    assert (ws["A2"].value, ws["A3"].value, ws["K9"].value) == ("first", "second", "=1+1")
    assert len(safe.backups_of(case)) == 2


@pytest.mark.skipif(not hasattr(Path, "symlink_to"), reason="needs symlinks")
def test_a_link_to_the_workbook_stays_a_link(case, tmp_path):
    link = tmp_path / "Shortcut.xlsx"
    link.symlink_to(case)
    p = Patch(link)
    p.set_cells("Plan", {"A2": "via link"})
    p.save()
    assert link.is_symlink()
    assert openpyxl.load_workbook(case)["Plan"]["A2"].value == "via link"


def test_1904_date_system_is_respected(case):
    rewrite(case, "xl/workbook.xml", lambda xml: xml.replace("<workbookPr/>", '<workbookPr date1904="1"/>'))
    p = Patch(case)
    p.set_cells("Plan", {"I2": dt.date(2026, 11, 27), "I3": dt.datetime(2026, 11, 27, 18, 30)})
    p.save()
    ws = openpyxl.load_workbook(case)["Plan"]
    assert ws["I2"].value == dt.datetime(2026, 11, 27)
    assert ws["I3"].value == dt.datetime(2026, 11, 27, 18, 30)
    assert ws["I3"].number_format == "dd/mm/yyyy hh:mm"
    i2 = sheet_xml(case).find(f".//{{{MAIN}}}c[@r='I2']/{{{MAIN}}}v").text
    assert i2 == str((dt.date(2026, 11, 27) - dt.date(1904, 1, 1)).days)


def test_too_long_text_names_the_cell(case):
    with pytest.raises(ScrError, match="32767") as err:
        Patch(case).set_cells("Plan", {"H7": "x" * 40000})
    assert (err.value.row, err.value.column) == (7, "H")


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "Case.xlsx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0 encrypted or old .xls")
    with pytest.raises(ScrError, match="password"):
        Patch(bad)


def test_image_survives(tmp_path):
    pytest.importorskip("PIL", reason="openpyxl needs Pillow to add an image")
    from openpyxl.drawing.image import Image
    from PIL import Image as PILImage

    png = tmp_path / "logo.png"
    PILImage.new("RGB", (4, 4), "red").save(png)
    path = tmp_path / "Img.xlsx"
    wb = openpyxl.Workbook()
    wb.active.add_image(Image(str(png)), "C3")
    wb.save(path)
    before = members(path)
    p = Patch(path)
    p.set_cells(wb.active.title, {"A1": "x"})
    p.save()
    after = members(path)
    media = [n for n in before if n.startswith("xl/media/")]
    assert media and all(after[n] == before[n] for n in media)
