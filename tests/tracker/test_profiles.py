"""Timescale profiles: the built-in files load, reproduce their worked examples, and bad files are
refused with a message that names the file and the problem (real files on disk, no mocks)."""
import datetime as dt
import os
import re
from pathlib import Path

import pytest

import tracker.profiles as profiles_mod
from tracker.calendar import WorkCalendar
from tracker.errors import ScrError
from tracker.plan import OVERRIDDEN, make_plan
from tracker.profiles import (
    BUILTIN_DIR,
    all_profiles,
    get_profile,
    load_profile_file,
)

D = dt.date

BUILTIN_IDS = {
    "rotherham-2009", "essex-2016-scr", "essex-2016-plr", "essex-2016-referral", "essex-2016-referral-from-day0",
    "bolton", "llr", "durham-icpc", "england-wt2023", "england-wt2023-from-notification",
    "essex-2016-referral-then-scr",
}


@pytest.fixture(autouse=True)
def fresh_profile_cache(monkeypatch):
    """Every test sees only the built-in folder (and whatever it sets itself), never a stale cache."""
    monkeypatch.delenv("SCR_PROFILES_DIR", raising=False)
    profiles_mod._load_all.cache_clear()
    yield
    profiles_mod._load_all.cache_clear()


# ---- the built-in profiles ------------------------------------------------------------------

def test_every_builtin_profile_file_is_found():
    assert {p.stem for p in BUILTIN_DIR.glob("*.toml")} == BUILTIN_IDS
    assert set(all_profiles()) == BUILTIN_IDS


@pytest.mark.parametrize("profile_id", sorted(BUILTIN_IDS))
def test_builtin_profile_loads_and_is_documented(profile_id):
    p = get_profile(profile_id)
    assert p.id == profile_id == p.path.stem
    assert p.name and p.board and p.source and p.day0_label != "Day 0"
    assert p.nation == "england-and-wales"  # every built-in board is in England
    assert p.examples, "every built-in profile carries a hand-computed example"
    for m in p.milestones:
        # the style of the template: the source's own words, and where they come from
        assert m.label and m.source and m.group, m.id
        assert m.responsible, m.id


@pytest.mark.parametrize("profile_id", sorted(BUILTIN_IDS))
def test_builtin_profile_loads_from_its_file_path_too(profile_id):
    path = BUILTIN_DIR / f"{profile_id}.toml"
    assert get_profile(str(path)).ids == get_profile(profile_id).ids


def _example_files():
    """The built-in files, and a board's own folder when SCR_PROFILES_DIR is set as the tests start
    (`SCR_PROFILES_DIR=... uv run pytest tests/test_profiles.py` checks a board's own examples)."""
    files = sorted(BUILTIN_DIR.glob("*.toml"))
    extra = os.environ.get("SCR_PROFILES_DIR")
    if extra:
        files += sorted(Path(extra).glob("*.toml"))
    return files


def _examples():
    out = []
    for path in _example_files():
        for n, _ in enumerate(load_profile_file(path).examples, 1):
            label = path.stem if path.parent == BUILTIN_DIR else f"own:{path.stem}"
            out.append(pytest.param(path, n, id=f"{label}-example{n}"))
    return out


@pytest.mark.parametrize("path, n", _examples())
def test_every_example_reproduces_exactly(path, n):
    p = load_profile_file(path)
    ex = p.examples[n - 1]
    assert ex.expected, "an example with no expected dates checks nothing"
    plan = make_plan(p, ex.day0, actuals=ex.actuals, overrides=ex.overrides,
                     calendar=WorkCalendar(ex.nation))
    got = {mid: plan[mid].due for mid in ex.expected}
    assert got == ex.expected
    # recorded actual dates are kept as recorded
    for mid, actual in ex.actuals.items():
        assert plan[mid].actual == actual


def test_the_examples_cover_every_builtin_profile():
    covered = {param.values[0].stem for param in _examples() if param.values[0].parent == BUILTIN_DIR}
    assert covered == BUILTIN_IDS


def test_rotherham_hand_edited_row_shows_as_overridden():
    p = get_profile("rotherham-2009")
    ex = p.examples[0]
    plan = make_plan(p, ex.day0, overrides=ex.overrides, calendar=WorkCalendar(ex.nation))
    row = plan["chronologies-in"]
    assert row.due == D(2008, 3, 7)
    assert row.computed == D(2008, 3, 4)  # 9 weeks from 01/01/2008
    assert row.flags == [f"{OVERRIDDEN} (guide: 04/03/2008)"]
    # the rows around it are the guide's own
    assert plan["panel-meetings-arranged"].flags == []
    assert plan["management-reports-in"].flags == []


def test_without_the_override_rotherham_gives_the_formula_date():
    plan = make_plan("rotherham-2009", D(2008, 1, 1))
    assert plan["chronologies-in"].due == D(2008, 3, 4)
    assert not any(OVERRIDDEN in f for f in plan["chronologies-in"].flags)


def test_one_default_profile_england_today_in_code_board_file_settings_and_docs():
    from tracker.board import load_board
    from workbook.case import layout
    assert get_profile().id == get_profile(None).id == "england-wt2023"
    assert load_board().profile == "england-wt2023"
    assert dict((k, d) for k, _l, d, _n in layout.SETTINGS_ROWS)["Profile"] == "england-wt2023"
    docs = (Path(__file__).resolve().parents[2] / "docs" / "PROFILES.md").read_text(encoding="utf-8")
    assert [ln.split("|")[1].strip() for ln in docs.splitlines() if "The default profile" in ln] == ["`england-wt2023`"]


def test_profile_ids_are_case_insensitive():
    assert get_profile("Essex-2016-SCR").id == "essex-2016-scr"
    assert get_profile("essex-2016-scr").milestone("Scoping").id == "scoping"


def test_unknown_profile_lists_the_known_ones():
    with pytest.raises(ScrError) as err:
        get_profile("narnia")
    text = str(err.value)
    assert "'narnia' is not known" in text
    for pid in BUILTIN_IDS:
        assert pid in text


def test_unknown_milestone_lists_the_profile_milestones():
    with pytest.raises(ScrError) as err:
        get_profile("durham-icpc").milestone("tea-break")
    assert "tea-break" in str(err.value) and "invitations-sent" in str(err.value)


# ---- what the sources say, checked against the files ----------------------------------------

def test_essex_scr_weeks_are_the_stage_table():
    p = get_profile("essex-2016-scr")
    weeks = {m.id: m.offset for m in p.milestones if m.unit == "weeks" and m.start == "day0"}
    assert weeks == {
        "scoping": 3, "family-letter": 5, "information-collection": 8, "key-themes": 8,
        "learning-event-preparation": 11, "learning-event": 12, "draft-1": 15, "meeting-5": 16,
        "draft-2": 18, "practitioner-feedback": 20, "finalising": 22, "sub-committee": 24,
        "publication": 26,
    }
    before = {m.id: (m.start, m.offset, m.unit, m.direction)
              for m in p.milestones if m.direction == "before"}
    assert before == {
        "circulated-sub-committee-agencies": ("publication", 2, "weeks", "before"),
        "circulated-board": ("publication", 1, "weeks", "before"),
    }
    assert p.update_cycle_months == 3
    complete = p.milestone("action-plans-complete")
    assert (complete.start, complete.offset, complete.unit, complete.basis) == (
        "first-update-request", 12, "months", "actual")
    assert "ASSUMPTION" in p.milestone("first-update-request").note


def test_essex_plr_keeps_the_plr_tables_weeks_and_publishes_no_report():
    scr, plr = get_profile("essex-2016-scr"), get_profile("essex-2016-plr")
    plr_weeks = {m.id: m.offset for m in plr.milestones if m.unit == "weeks"}
    scr_weeks = {m.id: m.offset for m in scr.milestones if m.unit == "weeks" and m.direction == "after"}
    # the same weeks as the SCR model, except the PLR table has no separate week-5 row
    shared = set(plr_weeks) & set(scr_weeks)
    assert all(plr_weeks[i] == scr_weeks[i] for i in shared)
    assert "family-letter" not in plr_weeks and plr_weeks["dissemination"] == 26
    assert not any(m.direction == "before" for m in plr.milestones)


def test_essex_referral_steps_each_count_from_the_step_before():
    p = get_profile("essex-2016-referral")
    steps = [(m.offset, m.unit) for m in p.milestones]
    assert steps == [(3, "working_days"), (7, "days"), (14, "days"), (28, "days"), (7, "days"), (14, "days")]
    assert p.milestones[0].start == "day0"
    for before, after in zip(p.milestones, p.milestones[1:]):
        assert after.start == before.id and after.basis == "actual"


def test_essex_referral_reading_is_flagged_and_the_other_reading_offered():
    # Seed 004, Appendix 1 prints "(Timescale 3 working days)", "(Timescale 7 days)", "(Timescale – 14
    # days)", "(Timescale – 28 days)", "(Timescale – 7 days)", "(Timescale – 14 days)" in its boxes and
    # never says from when each counts: both readings are offered, and each profile says which it is.
    chained, flat = get_profile("essex-2016-referral"), get_profile("essex-2016-referral-from-day0")
    assert "READING" in chained.note and flat.id in chained.note
    assert "READING" in flat.note and chained.id in flat.note
    assert [(m.offset, m.unit) for m in flat.milestones] == [(m.offset, m.unit) for m in chained.milestones]
    assert [m.start for m in flat.milestones[:4]] == ["day0"] * 4
    day0 = D(2024, 12, 23)
    chair = lambda p: make_plan(p, day0)["chair-considers"].due  # noqa: E731
    assert ((chair(chained) - day0).days, (chair(flat) - day0).days) == (77, 49)


def test_essex_six_months_says_which_start_it_counts_from():
    # Terms of Reference: "6 months from commencement of the notification to OFSTED and the DFE";
    # "Timescales": "within 6 months of commissioning the review". The profile counts from
    # commissioning and says so, naming the other start.
    note = get_profile("essex-2016-scr").milestone("review-complete").note
    assert "READING" in note and "commissioning" in note and "notification to OFSTED" in note


def test_llr_reports_are_five_working_days_before_the_entered_meeting():
    p = get_profile("llr")
    m = p.milestone("reports-to-members")
    assert (m.start, m.offset, m.unit, m.direction) == ("subcommittee-meeting", 5, "working_days", "before")
    assert p.milestone("subcommittee-meeting").start == "input"
    assert p.milestone("final-draft").basis == "due"  # from the *agreed* submission date


def test_england_wt2023_timescales():
    p = get_profile("england-wt2023")
    rules = {m.id: (m.start, m.offset, m.unit, m.direction) for m in p.milestones}
    assert rules["notify-panel"] == ("day0", 5, "working_days", "after")
    assert rules["rapid-review"] == ("day0", 15, "working_days", "after")
    assert rules["lcspr-published"] == ("lcspr-decision", 6, "months", "after")
    assert rules["send-to-panel-and-sos"] == ("lcspr-published", 7, "working_days", "before")


def test_returns_point_at_the_milestone_the_source_dates_them_by():
    assert get_profile("essex-2016-scr").returns == {"chronology": "information-collection",
                                                     "action_plan": "information-collection"}
    assert get_profile("essex-2016-plr").returns == {"chronology": "information-collection"}
    assert get_profile("llr").returns == {"management_report": "agency-reports-submitted"}
    for pid in BUILTIN_IDS:
        p = get_profile(pid)
        assert set(p.returns.values()) <= set(p.ids)


# ---- validation: bad files are refused, naming the file and the problem ----------------------

GOOD = '''\
id = "{id}"
name = "Test board"
board = "Test LSCB"
day0_label = "Referral"

[[milestone]]
id = "a"
label = "First step"
from = "day0"
offset = 1
unit = "weeks"

[[milestone]]
id = "b"
label = "Second step"
from = "a"
offset = 2
unit = "weeks"
'''


def write(tmp_path, text, name="test-board"):
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace("{id}", name), encoding="utf-8")
    return path


def refused(path) -> str:
    with pytest.raises(ScrError) as err:
        load_profile_file(path)
    text = str(err.value)
    assert path.name in text, "the message names the file"
    return text


def test_the_good_test_file_loads(tmp_path):
    p = load_profile_file(write(tmp_path, GOOD))
    assert p.ids == ("a", "b") and p.path.name == "test-board.toml"


def test_unknown_anchor(tmp_path):
    text = refused(write(tmp_path, GOOD.replace('from = "a"', 'from = "nowhere"')))
    assert "milestone 'b' counts from 'nowhere', which is not a milestone of this profile" in text
    assert "day0" in text and "input" in text  # what to write instead


def test_circular_anchors(tmp_path):
    text = refused(write(tmp_path, GOOD.replace('from = "day0"', 'from = "b"')))
    assert "in a circle: a -> b -> a" in text


def test_milestone_counting_from_itself(tmp_path):
    text = refused(write(tmp_path, GOOD.replace('from = "a"', 'from = "b"')))
    assert "'b' counts from itself" in text


def test_bad_unit(tmp_path):
    text = refused(write(tmp_path, GOOD.replace('unit = "weeks"\n\n[[milestone]]\nid = "b"',
                                                 'unit = "fortnights"\n\n[[milestone]]\nid = "b"')))
    assert "milestone 1 ('a'): unit 'fortnights' is not allowed" in text
    assert "days, weeks, working_days, months" in text


@pytest.mark.parametrize("key, value, allowed", [
    ("roll", "sideways", "none, next, previous"),
    ("basis", "planned", "due, actual"),
    ("direction", "backwards", "after, before"),
])
def test_bad_choice(tmp_path, key, value, allowed):
    text = refused(write(tmp_path, GOOD.replace('offset = 2', f'offset = 2\n{key} = "{value}"')))
    assert f"{key} '{value}' is not allowed" in text and allowed in text


def test_duplicate_id(tmp_path):
    text = refused(write(tmp_path, GOOD.replace('id = "b"', 'id = "a"').replace('from = "a"', 'from = "day0"')))
    assert "milestone id 'a' is used twice" in text


def test_negative_offset(tmp_path):
    text = refused(write(tmp_path, GOOD.replace("offset = 2", "offset = -2")))
    assert "offset '-2' must be a whole number of 0 or more" in text
    assert 'direction = "before"' in text  # the fix says how to count backwards


@pytest.mark.parametrize("bad", ["2.5", '"two"', "true"])
def test_offset_must_be_a_whole_number(tmp_path, bad):
    text = refused(write(tmp_path, GOOD.replace("offset = 2", f"offset = {bad}")))
    assert "must be a whole number of 0 or more" in text


def test_unknown_milestone_key(tmp_path):
    text = refused(write(tmp_path, GOOD.replace("offset = 2", "ofset = 2")))
    assert "milestone 2 ('b'): unknown setting(s) ofset" in text
    assert "offset" in text.split("Fix:")[1]


def test_unknown_profile_key(tmp_path):
    text = refused(write(tmp_path, GOOD.replace('board = "Test LSCB"', 'bored = "Test LSCB"')))
    assert "unknown setting(s) bored" in text


def test_missing_label(tmp_path):
    text = refused(write(tmp_path, GOOD.replace('label = "Second step"\n', "")))
    assert "milestone 2 ('b'): 'label' is missing" in text


def test_blank_label_counts_as_missing(tmp_path):
    text = refused(write(tmp_path, GOOD.replace('label = "Second step"', 'label = "  "')))
    assert "'label' is missing" in text


def test_missing_from(tmp_path):
    text = refused(write(tmp_path, GOOD.replace('from = "a"\n', "")))
    assert "'from' is missing" in text


def test_bad_milestone_id(tmp_path):
    text = refused(write(tmp_path, GOOD.replace('id = "b"', 'id = "step two"').replace('from = "a"', 'from = "day0"')))
    assert "id 'step two' must be letters, digits, - or _" in text


def test_id_and_file_name_must_match(tmp_path):
    path = tmp_path / "my-board.toml"
    path.write_text(GOOD.replace("{id}", "other-board"), encoding="utf-8")
    text = refused(path)
    assert "the profile id 'other-board' differs from the file name 'my-board'" in text
    assert "other-board.toml" in text


def test_invalid_toml(tmp_path):
    text = refused(write(tmp_path, GOOD.replace('label = "First step"', 'label = "First step')))
    assert "is not valid TOML" in text and "line 8" in text


def test_no_milestones(tmp_path):
    text = refused(write(tmp_path, GOOD.split("[[milestone]]")[0]))
    assert "no [[milestone]] entries" in text


def test_missing_name(tmp_path):
    text = refused(write(tmp_path, GOOD.replace('name = "Test board"\n', "")))
    assert "'name' is missing" in text


def test_bad_update_cycle(tmp_path):
    text = refused(write(tmp_path, GOOD.replace('day0_label = "Referral"', 'day0_label = "Referral"\nupdate_cycle_months = 0')))
    assert "update_cycle_months '0'" in text


def test_missing_file(tmp_path):
    text = refused(tmp_path / "nobody.toml")
    assert "profile file not found" in text


EXAMPLE = '''
[[example]]
day0 = 2025-01-06
[example.expected]
a = 2025-01-13
{more}
'''


def test_example_naming_an_unknown_milestone(tmp_path):
    text = refused(write(tmp_path, GOOD + EXAMPLE.replace("{more}", "zz = 2025-01-27")))
    assert "example 1: expected names milestone 'zz', which the profile does not have" in text


def test_example_date_in_quotes(tmp_path):
    text = refused(write(tmp_path, GOOD + EXAMPLE.replace("{more}", 'b = "27/01/2025"')))
    assert "'27/01/2025' is not a date" in text and "2008-01-01 (no quotes)" in text


def test_good_example_parses(tmp_path):
    p = load_profile_file(write(tmp_path, GOOD + EXAMPLE.replace("{more}", "b = 2025-01-27")))
    ex = p.examples[0]
    assert ex.day0 == D(2025, 1, 6) and ex.expected == {"a": D(2025, 1, 13), "b": D(2025, 1, 27)}
    plan = make_plan(p, ex.day0, calendar=WorkCalendar(ex.nation))
    assert plan.due_dates() == ex.expected


def test_a_broken_file_in_the_boards_folder_stops_loading_and_is_named(tmp_path, monkeypatch):
    write(tmp_path, GOOD.replace("offset = 2", "offset = -2"))
    monkeypatch.setenv("SCR_PROFILES_DIR", str(tmp_path))
    profiles_mod._load_all.cache_clear()
    with pytest.raises(ScrError) as err:
        get_profile("rotherham-2009")
    assert "test-board.toml" in str(err.value)


# ---- a board's own folder (SCR_PROFILES_DIR) ------------------------------------------------

def test_profile_in_scr_profiles_dir_is_found(tmp_path, monkeypatch):
    write(tmp_path, GOOD, name="our-board")
    monkeypatch.setenv("SCR_PROFILES_DIR", str(tmp_path))
    profiles_mod._load_all.cache_clear()
    p = get_profile("our-board")
    assert p.path == tmp_path / "our-board.toml"
    assert BUILTIN_IDS | {"our-board"} == set(all_profiles())
    assert make_plan("our-board", D(2025, 1, 6)).due_dates() == {"a": D(2025, 1, 13), "b": D(2025, 1, 27)}


def test_copying_a_builtin_profile_as_the_guide_says(tmp_path, monkeypatch):
    """docs/PROFILES.md: copy a file, change id (and the file name to match), edit."""
    text = (BUILTIN_DIR / "essex-2016-scr.toml").read_text(encoding="utf-8")
    text = text.replace('id = "essex-2016-scr"', 'id = "southshire-scr"')
    text = re.sub(r'(id = "scoping"\n(?:.*\n)*?offset = )3', r"\g<1>4", text, count=1)
    (tmp_path / "southshire-scr.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("SCR_PROFILES_DIR", str(tmp_path))
    profiles_mod._load_all.cache_clear()
    ours, essex = get_profile("southshire-scr"), get_profile("essex-2016-scr")
    assert ours.milestone("scoping").offset == 4 and essex.milestone("scoping").offset == 3
    assert ours.ids == essex.ids


def test_boards_own_file_replaces_a_builtin_of_the_same_id(tmp_path, monkeypatch):
    write(tmp_path, GOOD, name="bolton")
    monkeypatch.setenv("SCR_PROFILES_DIR", str(tmp_path))
    profiles_mod._load_all.cache_clear()
    assert get_profile("bolton").ids == ("a", "b")


def test_without_the_setting_only_builtins(tmp_path, monkeypatch):
    write(tmp_path, GOOD, name="our-board")
    with pytest.raises(ScrError):
        get_profile("our-board")


# ---- gaps found in review, now fixed -------------------------------------------------------

def test_example_nation_defaults_to_the_profiles_nation(tmp_path):
    path = write(tmp_path, GOOD.replace('day0_label = "Referral"', 'day0_label = "Referral"\nnation = "scotland"')
                 + EXAMPLE.replace("{more}", ""))
    p = load_profile_file(path)
    assert p.nation == "scotland"
    assert p.examples[0].nation == "scotland"


def test_misspelt_example_table_is_refused(tmp_path):
    path = write(tmp_path, GOOD + EXAMPLE.replace("[example.expected]", "[example.expcted]").replace("{more}", ""))
    with pytest.raises(ScrError) as err:
        load_profile_file(path)
    assert "expcted" in str(err.value)


def test_unknown_nation_names_the_file(tmp_path):
    path = write(tmp_path, GOOD.replace('day0_label = "Referral"', 'day0_label = "Referral"\nnation = "Narnia"'))
    refused(path)


def test_rotherham_incident_form_to_ofsted_is_planned_at_the_referral_not_week_4():
    # Seed 001 §2.4: "The Chair of RSCB will refer these cases to the SCR Standing Panel for
    # consideration, within one week. The RSCB Manager will ensure that Ofsted is notified of the
    # incident that prompted the referral." Week 4 ("RSCB Chair informs Ofsted") is the notice of a review.
    p = get_profile("rotherham-2009")
    assert p.front_sheet["incident_form_to_ofsted"] == "text-chair-refers"
    plan = make_plan(p, D(2008, 1, 1))
    assert plan[p.front_sheet["incident_form_to_ofsted"]].due == D(2008, 1, 8)


def test_rotherham_panel_label_says_from_when_its_two_weeks_count():
    # §3.1: "SCR Standing Panel will meet as soon as possible following the referral for consideration
    # and always within two weeks"; counted from the Chair's referral, so Day 0 + 3 weeks at most.
    m = get_profile("rotherham-2009").milestone("text-panel-meets")
    assert "Chair's referral" in m.label and m.start == "text-chair-refers"
    assert "READING" in m.note and "three weeks" in m.note and "four weeks" in m.note


def test_the_boards_themes_are_a_list_of_names_read_once_each(tmp_path):
    from tracker.board import load_board
    assert "Neglect" in load_board().themes  # the built-in example list
    f = tmp_path / "board.toml"
    f.write_text('themes = ["Neglect", "  Domestic   abuse ", "Neglect"]\n', encoding="utf-8")
    assert load_board(f).themes == ("Neglect", "Domestic abuse")
    for bad, says in (('themes = "Neglect"', "must be a list"), ('themes = ["A; B"]', "holds a ';'"),
                      ('themes = ["", "B"]', "must be a list")):
        f.write_text(bad + "\n", encoding="utf-8")
        with pytest.raises(ScrError) as e:
            load_board(f)
        assert says in e.value.message and e.value.file == str(f)


# ---- the Front Sheet's rows, named in the profile's own file (issue 9) ----
EVENT = '\n[[front_event]]\nsection = "Review"\nlabel = "Second step done"\nmilestone = "b"\n'


def test_front_events_are_the_profiles_own_rows_then_the_familys(tmp_path):
    from tracker.frontsheet import FAMILY_EVENTS, events_for
    p = load_profile_file(write(tmp_path, GOOD + EVENT + '\n[[front_event]]\nlabel = "Typed in"\n'))
    own = [(e.section, e.label, e.milestone, e.follows) for e in p.front_events]
    assert own == [("Review", "Second step done", "b", True), ("", "Typed in", None, False)]
    assert events_for(p)[2:] == FAMILY_EVENTS
    off = load_profile_file(write(tmp_path, GOOD.replace('day0_label = "Referral"', 'day0_label = "Referral"\nfront_family = false')
                                  + EVENT))
    assert [e.label for e in events_for(off)] == ["Second step done"]


def test_a_profile_without_front_events_gets_one_row_per_milestone(tmp_path):
    p = load_profile_file(write(tmp_path, GOOD))
    assert [(e.label, e.milestone) for e in p.front_events] == [("First step", "a"), ("Second step", "b")]


@pytest.mark.parametrize("text, said", [
    (GOOD + EVENT.replace('"b"', '"c"'), "is planned by milestone 'c', which the profile does not have"),
    (GOOD + EVENT + EVENT, "has the same key 'second_step_done' as an earlier event"),
    (GOOD + EVENT.replace("label", "lable"), "has 'lable', which is not a front-event setting"),
    (GOOD + EVENT.replace('label = "Second step done"', 'label = " "'), "[[front_event]] number 1 has no label"),
    (GOOD + EVENT + '\n[front_sheet]\nreport_to_board = "b"\n', "both [[front_event]] rows and a [front_sheet] table"),
    (GOOD.replace('day0_label = "Referral"', 'day0_label = "Referral"\nfront_family = "no"'),
     "front_family 'no' must be true or false"),
])
def test_a_front_event_that_cannot_be_read_names_the_file_and_the_fix(tmp_path, text, said):
    assert said in refused(write(tmp_path, text))


def test_rotherham_keeps_its_p57_front_sheet_row_for_row():
    from tracker.frontsheet import P57
    p = get_profile("rotherham-2009")
    assert [(e.section, e.key, e.label) for e in p.front_events] == list(P57)
    # p.57's Actuals are typed on the sheet: several rows are planned by the one milestone
    assert not any(e.follows for e in p.front_events)
    assert p.front_events[1].milestone == "text-chair-refers"


# ---- profiles that chain: a later stage in the same file (issue 9) ----
def test_a_chained_profile_counts_the_next_stage_from_its_anchor_milestone():
    p = get_profile("essex-2016-referral-then-scr")
    scr, referral = get_profile("essex-2016-scr"), get_profile("essex-2016-referral")
    assert p.ids == referral.ids + scr.ids and p.stages == ("essex-2016-scr",)
    scoping = p.milestone("scoping")
    assert (scoping.start, scoping.basis, scoping.offset, scoping.unit) == ("chair-considers", "actual", 3, "weeks")
    assert scoping.note.startswith("STAGE: Serious Case Review, counted from chair-considers")
    own_steps = [m for m in scr.milestones if m.start != "day0"]
    assert own_steps and all(p.milestone(m.id) == m for m in own_steps)  # counted from a step of its own stage
    assert p.returns == scr.returns and p.update_cycle_months == 3
    assert [e.label for e in p.front_events] == [e.label for e in referral.front_events + scr.front_events]


@pytest.mark.parametrize("stage, said", [
    ('profile = "essex-2016-scr"\nfrom = "z"', "[[stage]] number 1 starts from 'z', which is not a milestone"),
    ('profile = "nowhere"\nfrom = "b"', "names profile 'nowhere', which is neither beside this file nor built in"),
    ('profile = "essex-2016-scr"\nfrom = "b"\nstart = "a"', "has 'start', which is not a stage setting"),
    ('profile = "essex-2016-referral-then-scr"\nfrom = "b"', "has stages of its own, which are not followed"),
])
def test_a_stage_that_cannot_be_followed_names_the_file_and_the_fix(tmp_path, stage, said):
    assert said in refused(write(tmp_path, GOOD + "\n[[stage]]\n" + stage + "\n"))


def test_a_stage_whose_milestone_ids_clash_is_refused(tmp_path):
    write(tmp_path, GOOD, name="second")
    assert "profile 'second' has milestone 'a', as this profile does" in refused(
        write(tmp_path, GOOD + '\n[[stage]]\nprofile = "second"\nfrom = "b"\n'))
