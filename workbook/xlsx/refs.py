"""Cell references and column letters, one way everywhere: "B5" <-> (2, 5), 28 <-> "AB"."""
from __future__ import annotations

import functools
import re

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9]\d{0,6})$")


def col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def col_letters(n: int) -> str:
    s = ""
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


@functools.lru_cache(maxsize=1 << 16)  # refs repeat across every edit of a large sheet
def split_ref(ref: str) -> tuple[int, int]:
    """``"B5"`` -> (column 2, row 5)."""
    m = _REF.match(ref.strip())
    if not m or col_number(m.group(1)) > 16384 or int(m.group(2)) > 1048576:
        raise ValueError(f"not a cell reference: {ref!r}")
    return col_number(m.group(1)), int(m.group(2))


def bounds(ref: str) -> tuple[int, int, int, int]:
    """``"A1:D5"`` (or ``"B2"``) -> (c1, r1, c2, r2)."""
    a, _, b = ref.partition(":")
    c1, r1 = split_ref(a)
    c2, r2 = split_ref(b) if b else (c1, r1)
    return c1, r1, c2, r2


def range_ref(c1: int, r1: int, c2: int, r2: int) -> str:
    a = f"{col_letters(c1)}{r1}"
    return a if (c1, r1) == (c2, r2) else f"{a}:{col_letters(c2)}{r2}"
