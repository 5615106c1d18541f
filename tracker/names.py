"""Coding names with the key (seed 001 §3.7: the integrated chronology goes to Ofsted with family
and staff names replaced by codes kept in a separate key).

Agencies type a name every way a keyboard allows, so names are matched on a *folded* copy of the
text and the span is replaced in the original (a map from folded positions to original ones):

* Unicode compatibility forms (full-width letters, ligatures) and accents are folded away, so a
  Mac's decomposed "Zoë", a typed "Zoe" and the key's "Zoë" are one name; ß is ss (Weiß/Weiss);
  Turkish İ and ı are i (JİLL, Yılmaz/Yilmaz); ø, ł, đ, æ... as their plain letters; full case
  folding (``str.casefold``).
* Invisible characters (soft hyphens, zero-width spaces and joiners, bidi controls: see
  ``tracker.text.is_invisible``) are dropped; any run of white space is one space; every
  apostrophe (’ ' ʼ ‘ `) and hyphen (‐ ‑ – — -) is one apostrophe or hyphen, and in a name either
  may be missing or be a space (O'Brien, OBrien; Smith-Okoro, Smith Okoro).
* Whole words only, by Unicode word characters, so a two-letter name ("Li", "Wu") is coded but
  never inside "Lily" or "police"; except in scripts written without spaces (Chinese, Japanese,
  Thai...), where a name is found inside a run of text.

Beyond the full name: forename and surname without middle names or with a middle initial the
key lacks ("Jill M. Brown"), initials ("J. Brown"), and the forename or surname alone when only
one person in the key has it. A word on its own is coded only when written with a capital (so a
key's "Will" or "Brown" does not code "will" or "a brown coat"; a name typed all in lower case
on its own, "jill", is therefore neither coded nor warned of), and a forename is not coded when
followed by another capitalised word that is no part of the key ("Jill Browning" is someone
else), nor a surname after one ("Jill Brown" when the key has only Andrew Brown). What is not
coded but looks like it may be is reported by :meth:`Coder.leftovers`: every capitalised word
that is part of a name in the key.

No stdlib-beating library was needed: the ``regex`` module's full case folding matches ß to ss
but neither NFD text, invisible characters nor apostrophe variants, and the position map is
needed anyway to keep the original text around the code. Nothing here prints a name: messages
say "a name in the key" and where.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.errors import ScrError
from tracker.text import is_invisible

_APOSTROPHES = set("'’‘ʼ`´′ʹ＇‛")
_HYPHENS = set("-‐‑‒–—―−﹘﹣－")
_PLAIN = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i",
                        "ŧ": "t", "ħ": "h", "·": ""})
# Scripts written without spaces between words: a name there has no word boundary to wait for.
_CONTINUA = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                       "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff]")
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame", "pc", "dc", "ds", "di", "dci",
          "sgt", "cllr", "nurse", "master", "lord", "lady"}
PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "le", "la", "al", "el", "bin",
             "ibn", "bint", "ben", "abu", "mac", "st", "ter", "ten", "y", "e", "o"}
_SEP = r"(?:\s*-\s*|\s+)"
_WORD = re.compile(r"\w+")
_AFTER = re.compile(r" +(\w[\w'\-]*)")  # the word after a forename
_BEFORE = re.compile(r"(\w[\w'\-]*) +$")  # the word before a surname


def _drop_marks(s: str) -> str:
    return "".join(c for c in s if not unicodedata.category(c).startswith("M"))


@lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """One character as names are compared: "" for an invisible character or an accent, otherwise
    its plain lower-case letters (ß -> "ss", İ -> "i", Ｊ -> "j")."""
    if is_invisible(ch):
        return ""
    if ch in _APOSTROPHES:
        return "'"
    if ch in _HYPHENS:
        return "-"
    if ch.isspace() or unicodedata.category(ch) == "Cc":
        return " "
    s = _drop_marks(unicodedata.normalize("NFKD", ch)).casefold().translate(_PLAIN)
    s = unicodedata.normalize("NFC", _drop_marks(unicodedata.normalize("NFKD", s)))  # NFC: Hangul again
    return "".join(" " if c.isspace() else "'" if c in _APOSTROPHES else "-" if c in _HYPHENS else c for c in s)


def fold(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index in ``text`` it came from."""
    out: list[str] = []
    starts: list[int] = []
    for i, ch in enumerate(text):
        f = fold_char(ch)
        out.append(f)
        starts.extend([i] * len(f))
    return "".join(out), starts


def canon(s: str) -> str:
    """A folded name with everything but its letters and digits taken out: what two spellings of
    one name share ("O’Brien", "OBrien", "o'brien" -> "obrien")."""
    return re.sub(r"[\W_]+", "", fold(s)[0])


def _tokens(name: str) -> list[str]:
    """A key's name as folded words, without anything in brackets ("Jill Brown (mother)"), and
    forename first when the key lists it surname first ("Brown, Jill")."""
    name = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", fold(name)[0])
    if name.count(",") == 1:
        surname, forenames = name.split(",")
        name = forenames + " " + surname
    words = (re.sub(r"[^\w'\-.]", "", t).strip("'-.") for t in name.split())
    return [w for w in words if w]


def check_key(key: dict[str, str]) -> dict[str, str]:
    """The key with names and codes trimmed; ScrError for blank names or codes, one-letter names,
    or one name given two codes (compared as folded: "JİLL BROWN" is "Jill Brown"). No message
    shows a name: it may be the very thing the key hides."""
    clean: dict[str, str] = {}
    seen: dict[str, str] = {}
    for i, (name, code) in enumerate(key.items(), 1):
        n, c = " ".join(str(name or "").split()), " ".join(str(code or "").split())
        k = " ".join(re.sub(r"[^\w\s]", "", fold(n)[0]).split())
        if not k:
            raise ScrError(f"the name key has a code ('{c}') with no name (line {i} of the key).",
                           fix="Give the full name beside each code.")
        if not c:
            raise ScrError(f"the name key gives no code for a name (line {i} of the key).",
                           fix="Give a code (e.g. initials) beside every name.")
        if len(k) < 2:
            raise ScrError(f"the name key has a one-letter name (line {i} of the key), which would replace that "
                           "letter everywhere.", fix="Give full names in the key.")
        if k in seen and seen[k] != c:
            raise ScrError(f"the name key gives one name two codes ('{seen[k]}' and '{c}').",
                           fix="Give each name one code.")
        seen[k] = c
        clean[n] = c
    return clean


@dataclass
class _Form:
    rank: int  # 0 the key's own name, 1 a shortened full name, 2 one name on its own
    codes: set = field(default_factory=set)
    capital: bool = False  # one word or initials ("a brown coat" is no A. Brown): coded only with a capital
    role: str = ""  # "fore" / "sur": a forename or surname on its own, checked against its neighbours


def _token_rx(t: str) -> str:
    out = []
    for ch in t:
        if ch == "'":
            out.append(r"(?:'|\s)?")
        elif ch == "-":
            out.append(r"(?:\s*-\s*|\s+)?")
        elif ch == ".":
            out.append(r"\.?")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _form_rx(words: list[str]) -> str:
    """The regex of one form on folded text; a word ending "." is an initial ("j." -> J. / J)."""
    rx = ""
    for i, w in enumerate(words):
        if w == "?.":  # any one middle initial: "Jill M. Brown" for the key's Jill Brown
            rx += _SEP + r"\w(?:\.\s*|\s+)"
            continue
        if w.endswith(".") and len(w) == 2:
            rx += re.escape(w[0]) + r"(?:\.\s*|\s+)"
            continue
        if i and not words[i - 1].endswith("."):
            rx += r"\s*" if _CONTINUA.match(w[0]) and _CONTINUA.match(words[i - 1][-1]) else _SEP
        rx += _token_rx(w)
    left = "" if _CONTINUA.match(words[0][0]) else r"(?<!\w)"
    right = "" if _CONTINUA.match(words[-1][-1]) else r"(?!\w)"
    return left + rx + right


class Coder:
    """Names in ``key`` (full name -> code) replaced by their codes: :meth:`code`; what may still
    be a name after that: :meth:`leftovers`."""

    def __init__(self, key: dict[str, str]):
        key = check_key(key)
        self.forms: dict[str, _Form] = {}
        rxs: dict[str, int] = {}
        self.codes = {canon(c) for c in key.values()}
        self.parts: set[str] = set()  # every word of every name, for the neighbour rule and leftovers
        for name, code in key.items():
            words = _tokens(name)
            if not words:
                continue
            self._add(rxs, words, code, 0, role="")
            core = [w for w in words if canon(w) not in TITLES] or words
            for w in core:
                for p in re.split(r"[\-'.]", w) if not _CONTINUA.search(w) else [w]:
                    if len(canon(p)) >= 2 and canon(p) not in TITLES | PARTICLES and canon(p) not in self.codes:
                        self.parts.add(canon(p))
            if core != words:
                self._add(rxs, core, code, 1)
            if len(core) < 2:
                continue
            k = next((i for i in range(1, len(core) - 1) if canon(core[i]) in PARTICLES), len(core) - 1)
            givens, surname = core[:k], core[k:]
            self._add(rxs, [givens[0], *surname], code, 1)
            self._add(rxs, [givens[0][0] + ".", *surname], code, 1)
            self._add(rxs, [givens[0], "?.", *surname], code, 1)
            if len(givens) > 1:
                self._add(rxs, [g[0] + "." for g in givens] + surname, code, 1)
            for role, ws in (("fore", [givens[0]]), ("sur", surname), ("sur", surname[-1:])):
                self._add(rxs, ws, code, 2, role=role)
                if len(ws) == 1 and "-" in ws[0]:  # Mrs Smith of Smith-Okoro
                    for half in ws[0].split("-"):
                        self._add(rxs, [half], code, 2, role=role)
        ordered = sorted(rxs, key=lambda r: (-rxs[r], -len(r)))  # longest name first
        self.pattern = re.compile("|".join(ordered)) if ordered else None
        self.long_parts = {p for p in self.parts if len(p) >= 4}
        self.continua_parts = {p for p in self.parts if _CONTINUA.search(p)}

    def _add(self, rxs: dict[str, int], words: list[str], code: str, rank: int, role: str = ""):
        c = canon("".join(words))
        if len(c) < 2 or (rank == 2 and (c in TITLES or c in PARTICLES or c in self.codes)):
            return
        capital = (len(words) == 1 and not _CONTINUA.search(words[0])) or words[0].endswith(".")
        f = self.forms.get(c)
        if f is None or rank < f.rank:
            self.forms[c] = _Form(rank, {code}, capital, role if rank == 2 else "")
        elif rank == f.rank:
            f.codes.add(code)  # two people share it: ambiguous, left as written (and warned of)
        rx = _form_rx(words)
        rxs[rx] = max(rxs.get(rx, 0), len(c))

    def _other_name(self, text: str, starts: list[int], m: re.Match | None) -> bool:
        """Is the neighbouring word ``m`` a capitalised word that is no part of the key (a name of
        someone else: "Jill Browning")?"""
        if m is None:
            return False
        w = canon(m.group(1))
        return (not text[starts[m.start(1)]].islower() and w not in self.parts and w not in TITLES
                and w not in self.codes)

    def code(self, text: str) -> str:
        if not text or self.pattern is None:
            return text
        folded, starts = fold(text)
        out, last = [], 0
        for m in self.pattern.finditer(folded):
            f = self.forms.get(canon(m.group()))
            if f is None:  # a middle initial the key does not have
                f = self.forms.get(canon(re.sub(r"(?<!\w)\w(?!\w)", "", m.group())))
            a, b = m.span()
            if f is None or len(f.codes) != 1 or a == b:
                continue
            i, j = starts[a], starts[b - 1] + 1
            while j < len(text) and unicodedata.category(text[j]).startswith("M"):
                j += 1  # a combining accent after the name's last letter belongs to it
            if f.capital and text[i].islower():
                continue
            if f.role == "fore" and self._other_name(text, starts, _AFTER.match(folded, b)):
                continue
            if f.role == "sur" and self._other_name(text, starts, _BEFORE.search(folded, max(0, a - 80), a)):
                continue
            out += [text[last:i], next(iter(f.codes))]
            last = j
        return "".join(out) + text[last:]

    def leftovers(self, text: str) -> int:
        """How many capitalised words of ``text`` are part of a name in the key (or its plural or
        possessive without an apostrophe: "Browns")."""
        if not text or not self.parts:
            return 0
        folded, starts = fold(text)
        n = 0
        for m in _WORD.finditer(folded):
            w = m.group()
            if text[starts[m.start()]].islower() or w in self.codes:
                continue
            if (w in self.parts or any(w in (p + "s", p + "es") for p in self.long_parts)
                    or any(p in w for p in self.continua_parts)):
                n += 1
        return n
