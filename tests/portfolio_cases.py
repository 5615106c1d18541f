"""Two fictional cases whose portfolio figures are counted by hand in their comments, for
tests/tracker/test_portfolio.py and tests/workbook/portfolio/test_portfolio_command.py."""
import datetime as dt

from tracker.case import CaseData

D = dt.date
TODAY = D(2026, 6, 1)


def icpc():
    # Day 0 Monday 02/03/2026: invitations due 5 working days on (09/03), the conference 15 (23/03);
    # no bank holiday in March 2026. Invitations on the day, conference 3 days late: complete.
    return CaseData("ICPC-07", "durham-icpc", D(2026, 3, 2), today=TODAY,
                    actuals={"invitations-sent": D(2026, 3, 9), "conference": D(2026, 3, 26)})


def rapid_review():
    # Day 0 Monday 04/05/2026: notify the Panel by 11/05, rapid review by 26/05 (15 working days,
    # over the spring bank holiday 25/05), the decision at the rapid review: three overdue at 01/06.
    # Publication 6 months after the decision (26/11/2026); sent to the Panel 7 working days
    # before it, Tuesday 17/11/2026: the next milestone.
    return CaseData("RR-12", "england-wt2023", D(2026, 5, 4), today=TODAY, actions=[
        {"action_id": "1.1", "rec_no": "1", "recommendation": "Learn from the review", "agency": "Police",
         "action": "Brief the team", "target": D(2026, 5, 20), "status": "in progress",
         "last_update": D(2026, 5, 15), "progress": "Started"}])
