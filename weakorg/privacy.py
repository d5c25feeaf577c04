"""Personal data: secretaries' phone numbers masked (138****1234) before a table, card or file reaches a viewer.

Every page shows phone numbers masked, whoever looks (a number written into 主要问题, 整顿措施 or the secretary's cell
too); a role holding ``REVEAL_PHONE`` (分析员, 领导)
may reveal one organization's number on its card with a stated reason, and each reveal is one
entry in the audit log (``audit.REVEAL``: the unit, the organization and the reason, never the
number). Files follow the viewer's role: a page's downloads are what the page shows (masked);
an export outside the pages (the CLI with ``--user``) is masked unless the role may reveal.

A finding never quotes a phone number or a person's name, whoever reads it: a message that names a cell's
value puts it through ``mask_text`` with the line's secretary (``weakorg.checks.registry.quote``), so what is
shown, exported, sent back to a county, stored and logged is the same masked text.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from weakorg.vocab import F2_COLUMNS, F3_COLUMNS, NA_TOKENS, REVEAL_PHONE, ROLE_PERMISSIONS, SECRETARY_VACANT_WORDS

MASK = "*"
# A person's name in free text, whatever its length (no surname, no length told); not of MASK, which the
# numbers' masking counts as a digit (杨勇139… would run into the number).
NAME_MASK = "×××"
MIN_NAME = 2
HEAD, TAIL, MIN_MASKED = 3, 4, 4  # a number keeps its first 3 and last 4 digits; at least 4 digits are masked
# Columns that hold a phone number, by machine field or by the header a table shows or a form prints.
PHONE_COLUMNS = frozenset({"phone", F2_COLUMNS["phone"], F3_COLUMNS["phone"]})
# Columns of text a clerk may write a number into (王五139…, 颜军（手机139…）, 某村党支部139…): masked with them.
TEXT_COLUMNS = frozenset(
    {"problems", "measures", "secretary", "name"}
    | {c[k] for c in (F2_COLUMNS, F3_COLUMNS) for k in ("problems", "secretary", "name")}
    | {F3_COLUMNS["measures"]}
)
REASON_LABEL = "查看理由"
REASON_HINT = "例如：电话核实整顿进展"
REVEAL_LABEL = "查看完整电话"
REASON_MISSING = "请先在“查看理由”中写明为什么要查看完整电话（例如：电话核实整顿进展），再点击“查看完整电话”。"
DEMO_VIEWER = "（演示模式）"  # who revealed a number in demo mode (no accounts), as the audit log names it

# Digits (a mask already put counts as one: masking twice changes nothing), with spaces or dashes inside; or a mobile
# grouped by dots (139.0738.3333), which a decimal figure never is.
_NUMBER = re.compile(r"1\d{2}\.\d{4}\.\d{4}|[\d*](?:[\d* \-－]*[\d*])?")
_FLOAT_TEXT = re.compile(r"\d+\.0+")
_LONG_NUMBER = 7  # only runs of at least this many digits are phone numbers to mask (not dates, counts, ports)


def _is_digit(c: str) -> bool:
    return c.isdigit() or c == MASK


def _mask_digits(token: str) -> str:
    digits = sum(_is_digit(c) for c in token)
    tail = min(TAIL, max(0, digits - MIN_MASKED))
    head = min(HEAD, max(0, digits - MIN_MASKED - tail))
    out, seen = [], 0
    for c in token:
        if _is_digit(c):
            seen += 1
            out.append(c if seen <= head or seen > digits - tail else MASK)
        else:
            out.append(c)
    return "".join(out)


# 20140430, 2014-04-30 (in a file's name: 通报-2014-04-30.docx): a date, not a phone
_DATE_DIGITS = re.compile(
    r"(?:19|20)\d\d(?:(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|[-－](?:0?[1-9]|1[0-2])[-－](?:0?[1-9]|[12]\d|3[01]))"
)


def _mask_numbers(text: str, dates_stay: bool = False) -> str:
    def one(match: re.Match) -> str:
        token = match.group()
        if dates_stay and _DATE_DIGITS.fullmatch(token):
            return token
        return _mask_digits(token) if sum(_is_digit(c) for c in token) >= _LONG_NUMBER else token

    return _NUMBER.sub(one, text)


def mask_phone(value):
    """A phone number with its middle digits masked: 13812341234 -> 138****1234, 0738-8221234 -> 073*-***1234.

    Every number of at least 7 digits in the value (spaces and dashes inside allowed) keeps its first 3
    and last 4 digits with at least 4 masked (a short one keeps fewer); words (空缺, 无) and shorter digit
    runs (not a phone: a count, a URL's port) stay; an absent value stays absent.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone stored as a number: 13907381234.0
    elif isinstance(value, str) and _FLOAT_TEXT.fullmatch(value.strip()):
        value = value.strip().split(".")[0]  # the same number written out as text
    return _mask_numbers(str(value))


def mask_phones(series: pd.Series) -> pd.Series:
    """``mask_phone`` over a column; absent values stay absent."""
    return series.map(mask_phone, na_action="ignore").astype(object)


def mask_text(text, names=()):
    """Free text (a finding's message, a reason, a cell a finding quotes) with every phone-like number in it masked
    (dates and counts stay, 20140430 in a file's name too) and each of ``names`` (people the return names: a
    secretary) put as ``NAME_MASK``.

    A name of one character, or a word that says nobody is named (空缺, 无), is no name to hide.
    """
    if not isinstance(text, str):
        return text
    for name in sorted({n.strip() for n in names if _is_name(n)}, key=len, reverse=True):
        text = text.replace(name, NAME_MASK)
    return _mask_numbers(text, dates_stay=True)


def _is_name(value) -> bool:
    """Whether a cell's value can be a person's name to hide from free text (two characters or more, not 空缺)."""
    if not isinstance(value, str) or len(value.strip()) < MIN_NAME:
        return False
    word = value.strip()
    return word not in NA_TOKENS and word not in SECRETARY_VACANT_WORDS and not word.isdigit()


def reveal(store, account, unit: str, name: str, reason: str, origin: str | None = None) -> bool:
    """Record one reveal of an organization's phone in the audit log; False (nothing recorded) without a reason.

    The entry names the unit, the organization and the reason (any number in it masked), never the phone.
    """
    from weakorg import audit

    reason = (reason or "").strip()
    if not reason or not may_reveal(account):
        return False
    who = DEMO_VIEWER if account is None else account
    audit.record(store, who, audit.REVEAL, unit=unit, detail=mask_text(f"{name}：{reason}"), origin=origin)
    return True


def may_reveal(account) -> bool:
    """Whether the viewer's role works with phone numbers (``REVEAL_PHONE``); in demo mode (None) yes."""
    return account is None or REVEAL_PHONE in ROLE_PERMISSIONS.get(account.role, frozenset())


def masked(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with every phone column (``PHONE_COLUMNS``) masked, and every number in a free-text column
    (``TEXT_COLUMNS``); a copy, the rest unchanged."""
    phones = {c: mask_phones(frame[c]) for c in frame.columns if c in PHONE_COLUMNS}
    texts = {c: mask_texts(frame[c]) for c in frame.columns if c in TEXT_COLUMNS}
    return frame.assign(**phones, **texts) if phones or texts else frame


def mask_texts(series: pd.Series) -> pd.Series:
    """``mask_text`` over a column of free text; absent values stay absent."""
    return series.map(_mask_free_text, na_action="ignore").astype(object)


@lru_cache(maxsize=1 << 16)  # a page masks the same registers on every rerun
def _mask_free_text(text):
    return mask_text(text)


def fit_table(frame: pd.DataFrame, account, *, on_screen: bool = True) -> pd.DataFrame:
    """The table as this viewer may have it: masked on a page (all roles), and in a file unless the role may reveal."""
    if on_screen or not may_reveal(account):
        return masked(frame)
    return frame
