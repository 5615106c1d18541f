"""Spotting a person's name where the product asks for a code or a role.

Case names are printed on every page and file name; the Audit's "shared with" column goes into
every backup. Both must hold initials, codes or roles ("Child Q", "Ofsted", "the mother"), never
a name. A name cannot be known for certain, so this warns rather than refuses: two or more
capitalised words of letters that are not words a code or a role is made of.
"""
from __future__ import annotations

import re
import unicodedata

# Words that start codes and roles; "Child Q", "Family B", "Northshire Police" are not names.
_NOT_NAMES = frozenset("""
child children baby infant young person people family sibling siblings adult case review rapid lcspr scr
csr dhr sar safeguarding partnership board panel chair author agency agencies police health council nhs
trust icb school college nursery academy service services social care children's ofsted cqc hmicfrs
national local government office mother father parent parents carer carers grandmother grandfather aunt
uncle stepfather stepmother brother sister guardian foster kinship gp team unit department court coroner
cps probation housing designated named lead nurse doctor midwife visitor worker manager officer head
teacher practitioner paediatrician consultant director deputy senior independent reviewing business
overview report summary executive sent meeting letter the of and for with to a an in on at by mr mrs ms
miss dr
""".split())
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*")  # letters, with O’Neil's and Al-Amin's joins


def looks_like_full_name(text: str) -> bool:
    """True when ``text`` holds two neighbouring capitalised words that look like a forename and
    a surname ("Tara Smith", "Kelly Smith (mother)", "Zoë O’Neil"); False for codes and roles."""
    text = unicodedata.normalize("NFC", str(text or ""))
    words = [m.group(0) for m in _WORD.finditer(text)]
    run = 0
    for w in words:
        capitalised = len(w) >= 2 and w[0].isupper() and not w.isupper() and w.casefold() not in _NOT_NAMES
        run = run + 1 if capitalised else 0
        if run >= 2:
            return True
    return False


NAME_WARNING = ("looks like a person's name. It is printed on every page and kept in every backup: use "
                "initials or a case code (e.g. 'Child Q') or a role (e.g. 'the mother'), never a name.")
