"""Case names and recipients that look like a person's full name are spotted (issue 12 item 5)."""
import pytest

from tracker.privacy import looks_like_full_name


@pytest.mark.parametrize("text", ["Tara Smith", "Kelly Smith (mother)", "Zoë O’Neil", "anna Weiß Kowalski",
                                  "Review of Jamie Lee", "Mohammed Al-Amin", "Ofsted and Tara Smith"])
def test_names_are_spotted(text):
    assert looks_like_full_name(text)


@pytest.mark.parametrize("text", ["Child Q", "Child QR", "DEMO-01", "Family B", "Ofsted", "the mother",
                                  "Northshire Police", "Children's Social Care", "CSC and Police", "KB",
                                  "Rapid Review 2026-03", "Mother and Father", "Case 12", "", "Northshire Council",
                                  "Overview report sent", "Designated Nurse"])
def test_codes_and_roles_are_not(text):
    assert not looks_like_full_name(text)
