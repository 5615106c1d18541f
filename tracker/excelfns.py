"""Excel's date functions, exactly: WORKDAY(.INTL), NETWORKDAYS(.INTL), EDATE, EOMONTH.

Every function takes Excel serial numbers (scalars or array-likes, broadcast together) and
returns serials. Blanks (None/NaN) pass through as NaN so a whole column is done in one pass;
Excel's own error cases raise ExcelError with the code Excel shows (#NUM!, #VALUE!).
The work is done by numpy's business-day routines, whose weekday arithmetic matches Excel's
once a serial is laid on the uniform 1899-12-30 epoch (see excel_dates).
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from tracker.errors import ExcelError
from tracker.excel_dates import MAX_SERIAL, from_serial, to_serial

EPOCH64 = _EPOCH = np.datetime64("1899-12-30", "D")

# Excel weekend numbers -> 7-character masks, Monday first, "1" = weekend day.
WEEKEND_CODES = {
    1: "0000011", 2: "1000001", 3: "1100000", 4: "0110000", 5: "0011000", 6: "0001100", 7: "0000110",
    11: "0000001", 12: "1000000", 13: "0100000", 14: "0010000", 15: "0001000", 16: "0000100", 17: "0000010",
}


def weekend_mask(weekend=1) -> str:
    """Excel's weekend argument (number or "0000011" string) as Excel's own mask string."""
    if weekend is None or (isinstance(weekend, float) and weekend != weekend):
        return WEEKEND_CODES[1]
    if isinstance(weekend, str):
        if len(weekend) == 7 and set(weekend) <= {"0", "1"}:
            return weekend
        raise ExcelError("#VALUE!", f"weekend '{weekend}' must be a number 1-7, 11-17 or seven 0/1 characters, Monday first")
    code = int(weekend)  # Excel truncates a fractional weekend number (1.01 is 1)
    if code not in WEEKEND_CODES:
        raise ExcelError("#NUM!", f"weekend {weekend} is not one of Excel's codes 1-7, 11-17")
    return WEEKEND_CODES[code]


def _numpy_weekmask(mask: str) -> str:
    return "".join("0" if c == "1" else "1" for c in mask)  # numpy marks working days


def _holidays(holidays) -> np.ndarray:
    if holidays is None:
        return np.array([], dtype="datetime64[D]")
    h = np.asarray(holidays, dtype="float64").ravel()
    h = np.floor(h[~np.isnan(h)])
    if h.size and (h.min() < 0 or h.max() > MAX_SERIAL):
        raise ExcelError("#NUM!", "a holiday is not a valid date")
    return np.unique(_EPOCH + h.astype("int64"))


def busdaycalendar(weekend=1, holidays=None):
    """A numpy calendar for Excel's weekend argument and holiday serials (None if all days are weekend)."""
    mask = _numpy_weekmask(weekend_mask(weekend))
    if mask == "0000000":
        return None
    return np.busdaycalendar(weekmask=mask, holidays=_holidays(holidays))


def _as_float(x) -> np.ndarray:
    if x is None:
        return np.array(np.nan)
    return np.asarray(x, dtype="float64")


def _check_range(serials: np.ndarray, what: str) -> None:
    ok = np.isnan(serials) | ((serials >= 0) & (serials < MAX_SERIAL + 1))
    if not ok.all():
        raise ExcelError("#NUM!", f"{what} is not a valid Excel date")


def _out(result: np.ndarray, scalar: bool):
    if scalar:
        v = float(np.ravel(result)[0])
        return None if v != v else int(v)
    return result


def _scalar(*args) -> bool:
    return all(np.ndim(a) == 0 for a in args)


def workday_serials(start: np.ndarray, days: np.ndarray, cal) -> np.ndarray:
    """The core of WORKDAY.INTL on float arrays already broadcast; NaN in, NaN out."""
    blank = np.isnan(start) | np.isnan(days)
    s = np.where(blank, 0, np.floor(start)).astype("int64")
    n = np.where(blank, 0, np.trunc(np.clip(days, -1e8, 1e8))).astype("int64")  # beyond any date anyway
    out = s.astype("float64")
    d = _EPOCH + s
    # Excel counts from the start day itself even when it is not a working day: forwards
    # from a Saturday, WORKDAY(Sat, 1) is Monday, so roll the start the other way first.
    pos, neg = n > 0, n < 0
    if pos.all():
        out = (np.busday_offset(d, n, roll="backward", busdaycal=cal) - _EPOCH).astype("float64")
    else:
        if pos.any():
            out[pos] = (np.busday_offset(d[pos], n[pos], roll="backward", busdaycal=cal) - _EPOCH).astype("float64")
        if neg.any():
            out[neg] = (np.busday_offset(d[neg], n[neg], roll="forward", busdaycal=cal) - _EPOCH).astype("float64")
    out[blank] = np.nan
    return out


def WORKDAY_INTL(start, days, weekend=1, holidays=None):
    scalar = _scalar(start, days)
    s, n = np.broadcast_arrays(_as_float(start), _as_float(days))
    _check_range(s, "start date")
    cal = busdaycalendar(weekend, holidays)
    if cal is None:
        raise ExcelError("#VALUE!", "a weekend of all seven days leaves no working day")
    try:
        out = workday_serials(np.atleast_1d(s), np.atleast_1d(n), cal)
    except (OverflowError, ValueError):
        raise ExcelError("#NUM!", "the result falls outside Excel's dates") from None
    _check_range(out, "the result")
    return _out(out.reshape(s.shape), scalar)


def WORKDAY(start, days, holidays=None):
    return WORKDAY_INTL(start, days, 1, holidays)


def NETWORKDAYS_INTL(start, end, weekend=1, holidays=None):
    scalar = _scalar(start, end)
    s, e = np.broadcast_arrays(_as_float(start), _as_float(end))
    _check_range(s, "start date")
    _check_range(e, "end date")
    s, e = np.atleast_1d(s), np.atleast_1d(e)
    blank = np.isnan(s) | np.isnan(e)
    si = np.where(blank, 0, np.floor(s)).astype("int64")
    ei = np.where(blank, 0, np.floor(e)).astype("int64")
    cal = busdaycalendar(weekend, holidays)
    if cal is None:
        out = np.zeros(si.shape)
    else:
        lo, hi = np.minimum(si, ei), np.maximum(si, ei)
        count = np.busday_count(_EPOCH + lo, _EPOCH + hi + 1, busdaycal=cal)
        out = np.where(si <= ei, count, -count).astype("float64")
    out[blank] = np.nan
    return _out(out.reshape(np.shape(s)), scalar)


def NETWORKDAYS(start, end, holidays=None):
    return NETWORKDAYS_INTL(start, end, 1, holidays)


def _months(start, months, end_of_month: bool):
    scalar = _scalar(start, months)
    s, m = np.broadcast_arrays(_as_float(start), _as_float(months))
    _check_range(s, "start date")
    s, m = np.atleast_1d(s), np.atleast_1d(m)
    blank = np.isnan(s) | np.isnan(m)
    if (s[~blank] < 61).any():
        # Excel's phantom 29/02/1900 makes month arithmetic before March 1900 unlike any calendar.
        raise ExcelError("#NUM!", "dates before 01/03/1900 are not supported for month arithmetic")
    d = _EPOCH + np.where(blank, 61, np.floor(s)).astype("int64")
    n = np.where(blank, 0, np.trunc(m)).astype("int64")
    month = d.astype("datetime64[M]")
    target = month + n
    last = (target + 1).astype("datetime64[D]") - 1
    if end_of_month:
        res = last
    else:
        day = d - month.astype("datetime64[D]")
        res = np.minimum(target.astype("datetime64[D]") + day, last)
    out = (res - _EPOCH).astype("float64")
    out[blank] = np.nan
    _check_range(out, "the result")
    if (out[~blank] < 61).any():
        raise ExcelError("#NUM!", "the result falls before 01/03/1900")
    return _out(out.reshape(np.shape(s)), scalar)


def EDATE(start, months):
    """Same day n months on; the 31st becomes the month's last day (31/01 + 1 = 28 or 29/02)."""
    return _months(start, months, end_of_month=False)


def EOMONTH(start, months):
    return _months(start, months, end_of_month=True)


# On dates rather than serials: the domain's one way to count in months, so a deadline, a BRAG
# cycle and a month-end report date move exactly as the workbook's own EDATE/EOMONTH move them.
def edate(d: dt.date, months: int) -> dt.date:
    return from_serial(EDATE(to_serial(d), months))


def eomonth(d: dt.date, months: int) -> dt.date:
    return from_serial(EOMONTH(to_serial(d), months))
