"""Name coding against real-world spellings (issue 13 finding 4): a corpus of name forms as
agencies type them -- diacritics, ß and Turkish İ/ı, curly apostrophes, hyphen variants, other
scripts, NFD, invisible characters, initials, possessives, case, two-letter names -- against one
key. Every name is fictional.

The rule checked: after coding, a text still holding a part of a name in the key must be flagged
by ``names_left`` (zero names left uncoded without a warning); most forms must be coded exactly.
And the negatives: no coding inside other words ("Li" is not in "Lily" or "police")."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from name_forms import CORPUS, KEY, NEGATIVES, holds_a_name
from tracker.chronology import Entry, check_key, code_names, code_text, names_left
from tracker.errors import ScrError


def entry(text: str, row: int = 1) -> Entry:
    return Entry(date=dt.date(2004, 1, 1), date_text="01/01/2004", approximate=False, time="", family="",
                 event=text, agency="Police", action="", child_seen="", note="", source_file="f", source_row=row)


def test_the_corpus_is_big_enough():
    assert len(CORPUS) >= 50 and len({t for t, _ in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("text, coded", CORPUS, ids=[f"form{i}" for i in range(len(CORPUS))])
def test_no_name_form_is_left_uncoded_without_a_warning(text, coded):
    [e] = code_names([entry(text)], KEY)
    warned = bool(names_left([e], KEY))
    assert not holds_a_name(e.event) or warned
    if coded is None:
        assert e.event == text and warned
    else:
        assert e.event == coded
        assert not warned


@pytest.mark.parametrize("text", NEGATIVES)
def test_nothing_coded_inside_other_words(text):
    [e] = code_names([entry(text)], KEY)
    assert e.event == text
    assert not names_left([e], KEY)


def test_a_name_is_coded_wherever_it_stands_in_a_longer_text():
    text = "Visit: Li Chen, Mr Wu and Jill Brown’s neighbour; ANNA WEISS rang. Ｊill later."
    assert code_text(text, KEY) == "Visit: LC, Mr JW and JB’s neighbour; AW rang. JB later."


def test_leftovers_say_where_and_never_the_name():
    es = code_names([entry("fine", 3), entry("Mrs Brown said", 7), entry("Brown and Brown", 9)], KEY)
    left = names_left(es, KEY)
    assert [(x.entry, x.field) for x in left] == [(1, "event"), (2, "event")]
    assert [x.words for x in left] == [1, 2]
    assert "Brown" not in repr(left)


@pytest.mark.parametrize("key, message", [
    ({"\u200b": "JB"}, "no name"), ({"J\u00ad": "J1"}, "one-letter"), ({"O'": "X1"}, "one-letter"),
    ({"--": "X2"}, "no name"),
    ({"Jill Brown": "JB", "JİLL BROWN": "JX"}, "two codes"), ({"Anna Weiß": "AW", "ANNA WEISS": "A2"}, "two codes"),
])
def test_bad_keys_are_refused_without_printing_the_name(key, message):
    with pytest.raises(ScrError, match=message) as e:
        code_names([], key)
    assert not any(n.strip("\u200b\u00ad") and n in str(e.value) for n in key)


def test_a_key_listing_surname_first():
    key = {"Brown, Jill": "JB", "KOWALCZYK, Zoë": "ZK"}
    assert code_text("Jill Brown and Mrs Brown; Zoe Kowalczyk's school", key) == "JB and Mrs JB; ZK's school"


def test_a_key_a_typist_cannot_break():
    # every kind of name-like key a board manager might paste: never a crash
    odd = {"(mother)": "M1", "Jill Brown (mother)": "JB", "Dr. Priya Okafor": "SW9",
           "ǅemal Ŀopez": "DL", "ﬁona ﬂynn": "FF"}
    out = code_text("Jill Brown (mother) met Dr Okafor, Fiona Flynn and Džemal Ŀopez", odd)
    assert "Brown" not in out and "Okafor" not in out and "Flynn" not in out and "emal" not in out


# Any text against any key that passes check_key: coded without an exception, and no key name
# typed plainly survives. Characters drawn from every trap above.
_TRAPS = "aAbBjJlLiIİıßẞ’'ʼ‘`-‐–— .\u00ad\u200b\u202e\u0308\u0301Zoëø王小明ΣςДд\n"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_TRAPS, max_size=40),
       names=st.lists(st.text(alphabet=_TRAPS, min_size=1, max_size=12), min_size=1, max_size=4))
def test_never_a_crash(text, names):
    key = {n: f"C{i}" for i, n in enumerate(names)}
    try:
        key = check_key(key)
    except ScrError:
        return
    out = code_text(text, key)
    assert isinstance(out, str)
    names_left([entry(out)], key)
    for n in key:
        if len(n) >= 3 and n.isalpha() and n.istitle() and " " + n + " " in " " + text + " ":
            assert " " + n + " " not in " " + out + " " or names_left([entry(out)], key)
