"""A letter made: the board's own template of that kind if it has one, else the built-in, filled
with docxtpl (python-docx underneath) in a sandboxed Jinja, every value escaped as text, so a name
or a case code never becomes Word markup, a field or a link."""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from tracker.errors import ScrError
from tracker.letters import PLACEHOLDERS
from workbook.letters.builtin import TEMPLATES, template_bytes

SUFFIX = ".docx"
MARK = "scr-tracker letter"  # the letter's document category: how `--out` knows a file is one it made


def template_path(kind: str, folder: Path | None) -> Path | None:
    """The board's template of ``kind`` (``<kind>.docx`` in its folder), or None for the built-in."""
    if folder is None:
        return None
    p = Path(folder) / f"{kind}{SUFFIX}"
    return p if p.is_file() else None


def load_template(kind: str, folder: Path | None) -> tuple[DocxTemplate, str]:
    """(template, where it came from): the board's, else the built-in."""
    p = template_path(kind, folder)
    if p is None:
        return DocxTemplate(io.BytesIO(template_bytes(kind))), f"the built-in '{kind}' template"
    try:
        Document(p)  # read now: DocxTemplate opens the file only when first used
        return DocxTemplate(p), str(p)
    except Exception:  # not a Word document (python-docx raises several kinds)
        raise ScrError("this template is not a Word document (.docx) that can be read.", file=p,
                       fix="Save it from Word as a .docx, or remove it to use the built-in one.") from None


def placeholders(tpl: DocxTemplate, where: str) -> set[str]:
    """The placeholders a template uses, each one checked against tracker.letters.PLACEHOLDERS."""
    try:
        used = set(tpl.get_undeclared_template_variables(jinja_env=SandboxedEnvironment()))
    except TemplateSyntaxError as e:
        raise ScrError(f"{where} has a placeholder that cannot be read ({e.message}).",
                       fix="Write each placeholder as {{ name }}; see `scr letter --help` for the names.") from None
    unknown = sorted(used - set(PLACEHOLDERS) - {"m", "a"})
    if unknown:
        raise ScrError(f"{where} uses {', '.join('{{ ' + u + ' }}' for u in unknown)}, which the tracker does not "
                       "fill, so no letter was made.",
                       fix="Use the names the tracker knows: " + ", ".join(PLACEHOLDERS) + ".")
    return used


def render(tpl: DocxTemplate, context: dict) -> bytes:
    tpl.render(context, jinja_env=SandboxedEnvironment(), autoescape=True)
    tpl.docx.core_properties.category = MARK
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def write_templates(folder: Path) -> list[Path]:
    """Every built-in template written into ``folder`` for the board to edit (an existing one is kept)."""
    from workbook.xlsx.safe import write_file_atomic
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for kind in TEMPLATES:
        p = folder / f"{kind}{SUFFIX}"
        if not p.exists():
            write_file_atomic(p, template_bytes(kind))
            out.append(p)
    return out


def is_letter(path: Path) -> bool:
    """A letter this command made (its category says so); anything unreadable is not."""
    try:
        return Document(path).core_properties.category == MARK
    except Exception:  # not a Word document, encrypted, damaged
        return False
