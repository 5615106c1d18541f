"""The review's calendar as an iCalendar (.ics) file (tracker.meetings' events)."""
