"""An iCalendar file of a review's events, made with the icalendar library (RFC 5545): deadlines as
all-day events, meetings in UK time with the Europe/London time zone (its rule) written into the
file (so a meeting at 10:00 is at 10:00 in summer and in winter, wherever the file is opened), and each
event's UID kept from one export to the next so a calendar program updates it."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event as VEvent, Timezone, TimezoneDaylight, TimezoneStandard

from tracker.meetings import UK, Event

PRODID = "-//scr-tracker//case review calendar//EN"


def calendar_bytes(name: str, events: list[Event], made: dt.datetime | None = None) -> bytes:
    made = (made or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    uk = ZoneInfo(UK)
    for e in events:
        ev = VEvent()
        ev.add("uid", e.uid)
        ev.add("dtstamp", made)
        ev.add("summary", e.summary)
        if e.start is None:
            ev.add("dtstart", e.day)  # a DATE: all day
            ev.add("dtend", e.day + dt.timedelta(days=1))
            ev.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        else:
            ev.add("dtstart", dt.datetime.combine(e.day, e.start, tzinfo=uk))
            ev.add("dtend", dt.datetime.combine(e.day, e.end or e.start, tzinfo=uk))
        if e.place:
            ev.add("location", e.place)
        if e.description:
            ev.add("description", e.description)
        ev.add("class", "CONFIDENTIAL")
        cal.add_component(ev)
    if any(e.start is not None for e in events):
        cal.add_component(_uk_zone())
    return cal.to_ical()


def _uk_zone() -> Timezone:
    """Europe/London by its rule, as Outlook writes it (summer time from 01:00 GMT on the last
    Sunday of March to 01:00 GMT on the last Sunday of October, the rule since 1996), rather than
    a list of dates: every calendar program reads a rule the same way, and it has no end year."""
    tz = Timezone()
    tz.add("tzid", UK)
    for kind, name, start, frm, to, month in ((TimezoneDaylight, "BST", dt.datetime(1996, 3, 31, 1), "+0000", "+0100", 3),
                                              (TimezoneStandard, "GMT", dt.datetime(1996, 10, 27, 2), "+0100", "+0000", 10)):
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("tzoffsetfrom", _offset(frm))
        part.add("tzoffsetto", _offset(to))
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        tz.add_component(part)
    return tz


def _offset(text: str) -> dt.timedelta:
    return dt.timedelta(hours=int(text[:3]), minutes=int(text[0] + text[3:]))
