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


def converted():
    # Day 0 Monday 02/03/2026 (no bank holiday in March): notified 06/03; the rapid review due
    # 15 working days on, 23/03, done 20/03 (within); the partners decide the same day to hold a
    # practice review: converted. Publication 6 months on, 20/09/2026, extended by an Override to
    # 20/11/2026: one extension of 61 days (10 in September + 31 + 20). Open at 01/06/2026.
    return CaseData("CV-03", "england-wt2023", D(2026, 3, 2), today=TODAY,
                    actuals={"notify-panel": D(2026, 3, 6), "rapid-review": D(2026, 3, 20),
                             "lcspr-decision": D(2026, 3, 20)},
                    overrides={"lcspr-published": D(2026, 11, 20)},
                    review={"Themes": "Neglect; Information sharing;  neglect ", "Briefing": "7MB-CV-03.pdf"},
                    actions=[{"action_id": "1.1", "rec_no": "1", "recommendation": "Share information sooner",
                              "agency": "Police", "action": "Audit referrals", "target": D(2026, 9, 1),
                              "status": "in progress", "themes": "Information sharing; Made-up theme"},
                             {"action_id": "2.1", "rec_no": "2", "recommendation": "Hear the child",
                              "agency": "Health", "action": "Train staff", "target": D(2026, 9, 1),
                              "status": "in progress", "themes": "information sharing"}])


def rapid_only():
    # Day 0 Monday 04/05/2026, as RR-12: the rapid review due 26/05 (over the spring bank holiday
    # 25/05) and done 29/05, 3 days late (not within 15 working days); no practice review (n/a):
    # complete on 29/05, 25 days from Day 0; its original end is the rapid review's 26/05: 3 days' slippage.
    na = "n/a"
    return CaseData("RO-05", "england-wt2023", D(2026, 5, 4), today=TODAY,
                    actuals={"notify-panel": D(2026, 5, 8), "rapid-review": D(2026, 5, 29), "lcspr-decision": na,
                             "send-to-panel-and-sos": na, "lcspr-published": na})


def published_icpc():
    # icpc() published on 15/04/2026 (typed on Settings): 44 days from Day 0 02/03/2026.
    case = icpc()
    case.review = {"Published": D(2026, 4, 15), "PublicationLink": '=HYPERLINK("http://x.example")',
                   "Themes": "Neglect", "Briefing": "Key learning: see the child."}
    return case
