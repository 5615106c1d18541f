"""The built-in letter templates, written after seed 001 Part 3 (3.2-3.5) and §2.9, made as Word
documents with the placeholders of tracker.letters (docxtpl's Jinja tags: {{ name }}, and
{%p ... %} for a paragraph that repeats or is left out). `scr letter --templates FOLDER` writes
them out for the board to edit; a template of the same name in the board's folder is used instead.

Each template is data: a list of paragraphs, where "# " starts a heading, "- " a bullet, "!" a
bold line, and "@timetable" the table of the review's milestones.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

MARKING = "OFFICIAL-SENSITIVE"

_SIGN_MANAGER = ["Yours sincerely", "", "Business manager", "{{ board }}"]
_IF_CHILD = ["{%p if child_name %}", "Name of child: {{ child_name }}", "{%p if child_dob %}",
             "Date of birth: {{ child_dob }}", "{%p endif %}", "{%p endif %}"]

TEMPLATES: dict[str, list[str]] = {
    "terms-of-reference": [
        "# Terms of Reference: {{ review_type }}",
        "!Case {{ case }}. Day 0: {{ day0 }}. Draft of {{ date }}, for the first panel meeting.",
        "# 1. Why the review is held",
        "The reason for the review, and the most important issues to learn from in this case.",
        "# 2. Lead reviewer",
        "The independent author appointed for the overview report, or how and when one will be appointed.",
        "# 3. Independence",
        "Whether any part of the review should involve, or be led by, someone independent of the agencies taking part.",
        "# 4. Outside expertise",
        "Whether an outside expert would help the panel at any stage.",
        "# 5. The period under review",
        "From: ..........  To: ..........",
        "# 6. Family history and background",
        "What will help the panel understand the recent past and present.",
        "# 7. Agencies asked to contribute",
        "{%p for a in agencies %}", "- {{ a }}", "{%p endfor %}",
        "# 8. The family's contribution",
        "Consent, how family members will contribute to the review, and who will support them.",
        "# 9. Parallel processes",
        "Criminal proceedings, a Coroner's inquest, health or other reviews running alongside, and how the review "
        "will take account of them (liaison with the Coroner and the Crown Prosecution Service).",
        "# 10. Other areas",
        "Any other safeguarding partnership with an interest, and each one's part.",
        "# 11. Interests outside the statutory agencies",
        "Independent professionals, schools, voluntary organisations and others the business unit will contact.",
        "# 12. Timetable",
        "@timetable",
        "# 13. Public, family and media interest",
        "How it will be handled before, during and after the review.",
        "# 14. Legal advice",
        "Whether the partnership needs independent legal advice on any part of the review.",
        "These terms of reference were approved by {{ board }}.",
        "Signature of the Chair: ............................  Date: ..........",
    ],
    "family": [
        "!PRIVATE AND CONFIDENTIAL",
        "Date: {{ date }}",
        "Dear {{ addressee }},",
        "{%p if child_name %}", "I am writing to you about {{ child_name }}.", "{%p endif %}",
        "{{ board }} has decided to hold a review, looking at the work that professionals and agencies did, or did "
        "not do, with your family, to see what can be learned so that children are better protected in future.",
        "The partnership brings together senior people from the agencies that work with children and families, "
        "including children's social care, health and the police.",
        "You will be invited to give your views, most likely in a meeting with one or two people; you may write them "
        "down instead if you prefer, and you may bring someone with you for support.",
        "A report is written by an independent reviewer. What is published does not name your family, and you will "
        "be told before anything is published. Wherever possible you will be given a copy of the summary first.",
        "If you have any worries about the review, or questions, please contact the business unit of {{ board }}, "
        "or ask someone to contact us for you.",
        "Yours sincerely", "", "Chair", "{{ board }}",
    ],
    "agency-notification": [
        "Date: {{ date }}",
        "Dear {{ senior_manager or 'Colleague' }},",
        "!{{ review_type }}: case {{ case }}",
        *_IF_CHILD,
        "I am writing to tell you that {{ board }} has decided to hold a review in this case. Please make sure that "
        "the records your agency holds about every member of the family are checked and secured.",
        "If your agency was involved, please appoint an author, independent of the work with the family, to write "
        "your agency's report, and tell me their role.",
        "Please confirm to me by {{ reply_by }} whether your agency was involved with the family.",
        "{%p if chronology_due %}", "Your agency's chronology is due by {{ chronology_due }}.", "{%p endif %}",
        "{%p if report_due %}", "Your agency's management report is due by {{ report_due }}.", "{%p endif %}",
        "The draft terms of reference, with the templates for the report and chronology, will follow the first "
        "panel meeting.",
        *_SIGN_MANAGER,
    ],
    "coroner": [
        "Date: {{ date }}",
        "Dear {{ addressee or 'Coroner' }},",
        "!{{ review_type }}: case {{ case }}",
        *_IF_CHILD,
        "I am writing to tell you that {{ board }} has decided to hold a review following the death of the child "
        "named above. I will keep you informed of the review's timetable, and of anything that may bear on your inquiry.",
        "If there is any information you need, please contact me.",
        *_SIGN_MANAGER,
    ],
    "ofsted": [
        "Date: {{ date }}",
        "Dear Colleague,",
        "!{{ review_type }}: case {{ case }}",
        "Please find enclosed, for case {{ case }}: the overview report, the executive summary, the integrated "
        "chronology, the agencies' management reports and their action plans.",
        "These documents are shared with the express permission of the Chair of {{ board }}, and are to be passed "
        "to no one else without it.",
        *_SIGN_MANAGER,
    ],
    "action-plan-request": [
        "Date: {{ date }}",
        "Dear {{ senior_manager or 'Colleague' }},",
        "!{{ review_type }}: case {{ case }}",
        "{{ board }} has agreed the review's recommendations. Please send me your agency's action plan, with a "
        "SMART action, a responsible person and a target date for each recommendation for your agency, by "
        "{{ action_plan_due or reply_by }}.",
        *_SIGN_MANAGER,
    ],
    "chase": [
        "Date: {{ date }}",
        "Dear {{ contact or senior_manager or 'Colleague' }},",
        "!{{ review_type }}: case {{ case }}",
        "I am writing about the review in case {{ case }}. We are still waiting for:",
        "{%p for a in awaited %}", "- {{ a }}", "{%p endfor %}",
        "If it has been sent, thank you, and please tell me when. If it will be late, please tell me the date you "
        "can send it.",
        *_SIGN_MANAGER,
    ],
}


def template_bytes(kind: str) -> bytes:
    """The built-in template of ``kind`` as a Word document."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(11)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4, not python-docx's US Letter
    section.left_margin = section.right_margin = Mm(25)
    head, foot = section.header.paragraphs[0], section.footer.paragraphs[0]
    head.text = MARKING + "    {{ board }}    case {{ case }}"
    foot.text = MARKING + "    page "
    _field(foot, "PAGE")
    foot.add_run(" of ")
    _field(foot, "NUMPAGES")
    for p in (head, foot):
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in TEMPLATES[kind]:
        if line.startswith("# "):
            doc.add_heading(line[2:], level=1 if line[2:3].isalpha() else 2)
        elif line.startswith("- "):
            doc.add_paragraph(line[2:], style="List Bullet")
        elif line.startswith("!"):
            doc.add_paragraph().add_run(line[1:]).bold = True
        elif line == "@timetable":
            _timetable(doc)
        else:
            doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _field(paragraph, instruction: str) -> None:
    """A Word field (the page number, the number of pages) at the end of ``paragraph``."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _timetable(doc) -> None:
    """A table of the review's milestones: a header, then one row per milestone (docxtpl's {%tr %}
    tags stand in rows of their own, which the loop replaces)."""
    t = doc.add_table(rows=4, cols=3)
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, ("Milestone", "Due", "Done")):
        cell.paragraphs[0].add_run(text).bold = True
    t.rows[1].cells[0].text = "{%tr for m in timetable %}"
    for cell, text in zip(t.rows[2].cells, ("{{ m.label }}", "{{ m.due }}", "{{ m.done }}")):
        cell.text = text
    t.rows[3].cells[0].text = "{%tr endfor %}"
