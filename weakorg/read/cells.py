"""Cell parsers: one small function per kind of value a return holds, never raising."""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from weakorg.campaign import normalize_text
from weakorg.vocab import CATEGORIES, CATEGORY_ALIASES, NA_TOKENS, SECRETARY_VACANT_WORDS, STATUSES

# Ways a filer writes "nobody / nothing" in a name or phone cell.
VACANT_TOKENS = frozenset({"空缺", "暂缺", "空", "缺", "暂无", "待定", "未配备", "无"})
# Ways a filer writes "not done yet" in a date cell.
NOT_DONE_TOKENS = frozenset(
    {"未完成", "尚未完成", "暂未完成", "未换届", "未进行", "尚未进行", "进行中", "正在进行", "待定"}
)
NOT_DONE_PREFIXES = ("未", "尚未", "暂未", "正在", "拟于", "计划")

SHORT_TEXT = 40  # texts up to this long are normalised once per process: labels, headers, names, tokens
MEMO_LIMIT = 1 << 15  # the memo of short texts is emptied when it grows past this many
_short_texts: dict[str, str] = {}  # a plain dict: a text is looked up in one step (most cells are texts)
# Typed, so that True, 1 and 1.0 (equal as keys) keep their own texts.
_normalize_short = lru_cache(maxsize=1 << 15, typed=True)(normalize_text)


def normalized(value: object) -> str:
    """``normalize_text`` of a cell value, remembered for short texts and numbers (they recur across files)."""
    if value.__class__ is str:
        text = _short_texts.get(value)
        if text is not None:
            return text
        if len(value) > SHORT_TEXT:
            return normalize_text(value)  # a long free text is seldom seen twice: not worth keeping
        if len(_short_texts) >= MEMO_LIMIT:
            _short_texts.clear()
        text = _short_texts[value] = normalize_text(value)
        return text
    if isinstance(value, str) and len(value) > SHORT_TEXT:
        return normalize_text(value)
    try:
        return _normalize_short(value)
    except TypeError:  # an unhashable value
        return normalize_text(value)


_NA = frozenset(normalize_text(t) for t in NA_TOKENS)
_NUMBER = re.compile(r"^[+-]?(\d+(?:\.\d*)?|\.\d+)$")
_COUNT_SUFFIX = re.compile(r"(个|人|名|家|户|名党员)$")
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8}
_CN_DIGITS |= {"九": 9}


def is_blank(value: object) -> bool:
    """True for an empty cell: None, NaN, an empty or whitespace-only text, or a not-applicable mark (——, 无, /)."""
    if value.__class__ is str:
        return normalized(value) in _NA
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and normalized(value) in _NA


def _number(value: object) -> float | None:
    """A plain number from a numeric cell or a numeric text (full-width digits and thousands commas allowed)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    if not isinstance(value, str):
        return None
    text = normalized(value).replace(",", "")
    return float(text) if _NUMBER.match(text) else None


_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _cn_integer(text: str) -> int | None:
    """A whole number written in Chinese numerals (十五 -> 15, 一百零五 -> 105, 两 -> 2, 一五 -> 15), else None."""
    digits = _CN_DIGITS | {"两": 2}
    if not text or any(c not in digits and c not in _CN_UNITS for c in text):
        return None
    if not any(c in _CN_UNITS for c in text):
        return int("".join(str(digits[c]) for c in text))
    total = current = 0
    for c in text:
        if c in digits:
            current = digits[c]
        else:
            total, current = total + (current or 1) * _CN_UNITS[c], 0
    return total + current


def count_in_words(value: object) -> bool:
    """Whether a count was written in Chinese numerals (十五个), which ``parse_count`` reads."""
    return isinstance(value, str) and _cn_integer(_COUNT_SUFFIX.sub("", normalized(value))) is not None


def parse_count(value: object) -> float | None:
    """A count as a float ("12", "１２", "12个", "十二个", 12.0 -> 12.0; "12.5" -> 12.5), None when blank or no
    number ("五十多": no number, only about one)."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        value = _COUNT_SUFFIX.sub("", normalized(value))
        if (whole := _cn_integer(value)) is not None:
            return float(whole)
    return _number(value)


_FORMAT_TEXT = re.compile(r'"[^"]*"|\\.')  # quoted text and escaped characters of a number format


def is_percent_format(number_format: str) -> bool:
    """True when a number format shows the value times 100 with a % sign ("0.0%"; not '0.0"%"', where % is text)."""
    return bool(number_format) and "%" in number_format and "%" in _FORMAT_TEXT.sub("", number_format)


def parse_percent(value: object, number_format: str = "") -> float | None:
    """A percentage in points: 5.2, "5.2%", "5.2％" -> 5.2; 0.052 in a cell formatted as percent -> 5.2."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        text = normalized(value).replace(",", "")
        if text.endswith("%"):
            number = _number(text[:-1])
            return None if number is None else number
        return _number(text)
    number = _number(value)
    if number is None:
        return None
    if is_percent_format(number_format):
        return round(number * 100, 10)
    return number


def _make_date(year: int, month: int, day: int | str) -> date | None:
    try:
        if day in ("底", "末"):
            return date(year, month, calendar.monthrange(year, month)[1])
        if day == "初":
            return date(year, month, 1)
        return date(year, month, int(day))
    except (ValueError, TypeError):
        return None


def _cn_numerals(text: str) -> str:
    """Chinese numerals in a date to digits: 二〇一四年三月十一日 -> 2014年3月11日."""

    return re.sub(r"[〇零○Ｏ一二三四五六七八九十]+", lambda m: str(_cn_integer(m.group(0))), text)


# No digit before or after (2014年4月300日 is no date, nor 2014年4月13912345678日) but a time's, spaces taken out
# (2014-04-2500:00:00).
_DAY = r"(\d{1,2}(?!\d)|\d{1,2}(?=\d{1,2}:\d\d)|底|末|初)"
_FULL_DATE = re.compile(rf"(?<!\d)(\d{{4}})[年.\-/](\d{{1,2}})[月.\-/]{_DAY}")
_MONTH_DAY = re.compile(rf"(?<!\d)(\d{{1,2}})月{_DAY}")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = date(1899, 12, 30)
# A date written with its year last, as a CSV exported on an English system writes it: 04/23/2014 or 23/04/2014.
_YEAR_LAST = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)")
MONTH_FIRST, DAY_FIRST = "month-first", "day-first"


def _year_last_order(text: str) -> str | None:
    """MONTH_FIRST or DAY_FIRST when a year-last date shows its order (a part over 12), else None."""
    m = _YEAR_LAST.search(text)
    if not m:
        return None
    first, second = int(m.group(1)), int(m.group(2))
    if first > 12 >= second:
        return DAY_FIRST
    if second > 12 >= first:
        return MONTH_FIRST
    return None


def date_order(values: Iterable[object]) -> str | None:
    """Whether a file's year-last dates put the month first (04/23/2014) or the day (23/04/2014).

    Decided by the dates whose order shows (a part over 12); None when none shows it or they disagree.
    """
    seen = {_year_last_order(normalized(v)) for v in values if isinstance(v, str) and _YEAR_LAST.search(v)}
    seen.discard(None)
    return seen.pop() if len(seen) == 1 else None


def year_last_readings(value: object) -> tuple[date, date] | None:
    """Both readings of a year-last date whose order does not show (04/05/2014: 5 April or 4 May), else None."""
    m = _YEAR_LAST.search(normalized(value)) if isinstance(value, str) else None
    if not m or _year_last_order(m.group(0)):
        return None
    month_first, day_first = _year_last(m, MONTH_FIRST), _year_last(m, DAY_FIRST)
    return (month_first, day_first) if month_first and day_first and month_first != day_first else None


def _year_last(m: re.Match, order: str | None) -> date | None:
    """The date of a year-last match: its own order when a part is over 12, else the file's ``order``, else None."""
    first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    shown = _year_last_order(m.group(0))
    if (shown or order) == DAY_FIRST:
        return _make_date(year, second, first)
    if (shown or order) == MONTH_FIRST:
        return _make_date(year, first, second)
    return None


def parse_date(value: object, year: int | None = None, order: str | None = None) -> date | None:
    """A date from a date cell or a text such as "2014.4.25", "2014年4月底", "4月20日" (``year`` for a missing year).

    A year-last text (04/23/2014, 23/04/2014) is read in the order its parts show, else in ``order`` (the
    file's, from ``date_order``); 04/05/2014 with no order known is not read. None when the cell is blank,
    says "not done" or cannot be read; tell these apart with ``is_blank``, ``is_not_done`` and ``date_unreadable``.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if is_blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 21001231:
            m = _COMPACT.match(str(int(number)))
            return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
        if 20000 <= number <= 80000:  # an Excel serial day number that lost its date format
            return date.fromordinal(_EXCEL_EPOCH.toordinal() + int(number))
        return None
    text = _cn_numerals(normalized(value))
    if m := _FULL_DATE.search(text):
        return _make_date(int(m.group(1)), int(m.group(2)), m.group(3))
    if m := _COMPACT.match(text):
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _YEAR_LAST.search(text):
        return _year_last(m, order)
    if year and (m := _MONTH_DAY.search(text)):
        return _make_date(year, int(m.group(1)), m.group(2))
    return None


def is_not_done(value: object) -> bool:
    """True when a date cell says the thing is not done yet ("未完成", "尚未换届", "进行中")."""
    if not isinstance(value, str):
        return False
    text = normalized(value)
    return text in NOT_DONE_TOKENS or text.startswith(NOT_DONE_PREFIXES)


def date_unreadable(value: object, year: int | None = None, order: str | None = None) -> bool:
    """True when a date cell holds something that is neither a date, nor blank, nor "not done"."""
    return not is_blank(value) and not is_not_done(value) and parse_date(value, year, order) is None


def format_number(value: object) -> str:
    """A number the way Excel's General format shows it: 13907381234.0 -> "13907381234", never in exponent form."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


_SPACES = re.compile(r"\s+")
_FLOAT_TEXT = re.compile(r"\d{7,}\.0+")
_EXPONENT_TEXT = re.compile(r"\d(\.\d+)?[eE]\+?\d+")
_SPACE_BETWEEN_HAN = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def parse_phone(value: object) -> str | None:
    """A phone number as text: 13907381234.0 -> "13907381234", spaces removed, landline dashes kept; None when blank."""
    if is_blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return format_number(value)
    text = unicodedata.normalize("NFKC", str(value))
    text = _SPACES.sub("", text)
    if not text or text in VACANT_TOKENS or text in _NA:
        return None
    if _FLOAT_TEXT.fullmatch(text):  # a number saved as text by a program: 13907381234.0
        return text.split(".")[0]
    if _EXPONENT_TEXT.fullmatch(text):  # exponent form from a CSV: 1.3907381234E+10
        try:
            return format(Decimal(text).quantize(Decimal(1)), "f")
        except InvalidOperation:
            return text
    return text


def parse_name(value: object) -> str | None:
    """A name as written, trimmed and without spaces between Chinese characters; None when blank or vacant."""
    if is_blank(value):
        return None
    if isinstance(value, int | float):
        return format_number(value)
    text = str(value).strip()
    text = _SPACE_BETWEEN_HAN.sub("", text)
    if not text or normalized(text) in VACANT_TOKENS:
        return None
    return text


def parse_secretary(value: object) -> str | None:
    """A secretary's name as ``parse_name`` reads it, or the word saying the post is vacant (空缺, 暂缺) as written."""
    if isinstance(value, str) and (word := normalized(value)) in SECRETARY_VACANT_WORDS:
        return word
    return parse_name(value)


def parse_text(value: object) -> str | None:
    """A free text (主要问题, 整顿措施) trimmed; None when blank."""
    if is_blank(value):
        return None
    text = format_number(value) if isinstance(value, int | float) else str(value).strip()
    return text or None


def raw_text(value: object) -> str | None:
    """A cell's value as written, as text (numbers as Excel shows them, dates as YYYY-MM-DD); None when empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    text = str(value).strip()
    return text or None


_CATEGORY_LOOKUP = {normalize_text(c): c for c in CATEGORIES} | {
    normalize_text(k): v for k, v in CATEGORY_ALIASES.items()
}


def parse_category(value: object) -> str | None:
    """The canonical category (one of the nine) a loosely written category stands for, or None."""
    if is_blank(value):
        return None
    key = normalized(value)
    if key in _CATEGORY_LOOKUP:
        return _CATEGORY_LOOKUP[key]
    for suffix in ("党组织", "类", "系统"):
        if key.endswith(suffix) and key[: -len(suffix)] in _CATEGORY_LOOKUP:
            return _CATEGORY_LOOKUP[key[: -len(suffix)]]
    return None


_STATUS_LOOKUP = {normalize_text(s): s for s in STATUSES}


def parse_status(value: object) -> str | None:
    """One of the four rectification statuses when the text names one, else the text as written; None when blank."""
    if is_blank(value):
        return None
    return _STATUS_LOOKUP.get(normalized(value), parse_text(value))
