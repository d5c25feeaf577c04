"""The cell parsers, each on its own, with the ways real returns write values."""

import math
from datetime import date, datetime

import pytest

from weakorg.read.cells import (
    date_unreadable,
    is_blank,
    is_not_done,
    parse_category,
    parse_count,
    parse_date,
    parse_name,
    parse_percent,
    parse_phone,
    parse_status,
    raw_text,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12.0),
        ("１２", 12.0),
        ("12个", 12.0),
        ("12人", 12.0),
        (" 12 ", 12.0),
        (12.0, 12.0),
        (12, 12.0),
        ("12.5", 12.5),
        ("1,200", 1200.0),
        ("——", None),
        ("—", None),
        ("无", None),
        ("-", None),
        ("/", None),
        ("", None),
        (None, None),
        (float("nan"), None),
        ("若干", None),
        ("十二", None),
        (True, None),
    ],
)
def test_parse_count(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (5.2, "", 5.2),
        ("5.2", "", 5.2),
        ("5.2%", "", 5.2),
        ("5.2％", "", 5.2),
        ("５.２％", "", 5.2),
        (0.052, "0.00%", 5.2),
        (0.052, "0%", 5.2),
        (0.052, "0.00", 0.052),
        (100, "", 100.0),
        ("——", "", None),
        (None, "0.00%", None),
        ("约5%", "", None),
    ],
)
def test_parse_percent(value, number_format, expected):
    got = parse_percent(value, number_format)
    assert got == pytest.approx(expected) if expected is not None else got is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2014, 4, 25, 0, 0), date(2014, 4, 25)),
        (date(2014, 4, 25), date(2014, 4, 25)),
        ("2014.4.25", date(2014, 4, 25)),
        ("2014-04-28", date(2014, 4, 28)),
        ("2014/4/28", date(2014, 4, 28)),
        ("2014年4月25日", date(2014, 4, 25)),
        ("2014年 4月 25日", date(2014, 4, 25)),
        ("２０１４年４月２５日", date(2014, 4, 25)),
        ("2014年4月底", date(2014, 4, 30)),
        ("2014年2月底", date(2014, 2, 28)),
        ("4月20日", date(2014, 4, 20)),
        ("4月底", date(2014, 4, 30)),
        ("二〇一四年三月十一日", date(2014, 3, 11)),
        ("20140425", date(2014, 4, 25)),
        (20140425, date(2014, 4, 25)),
        (41754, date(2014, 4, 25)),
        ("已于2014年4月20日完成", date(2014, 4, 20)),
        ("未完成", None),
        ("", None),
        (None, None),
        ("——", None),
        ("2014年13月5日", None),
        ("四月下旬", None),
        ("明年", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value, year=2014) == expected


def test_month_day_needs_a_year():
    assert parse_date("4月20日") is None
    assert parse_date("4月20日", year=2015) == date(2015, 4, 20)


@pytest.mark.parametrize(
    ("value", "not_done", "unreadable"),
    [
        ("未完成", True, False),
        ("尚未换届", True, False),
        ("进行中", True, False),
        ("", False, False),
        (None, False, False),
        ("2014.4.25", False, False),
        ("四月下旬", False, True),
        ("2014年13月5日", False, True),
        ("待上级批复", False, True),
    ],
)
def test_not_done_and_unreadable_dates(value, not_done, unreadable):
    assert is_not_done(value) is not_done
    assert date_unreadable(value, 2014) is unreadable


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (13907381234.0, "13907381234"),
        (13907381234, "13907381234"),
        ("13907381234", "13907381234"),
        ("139 0738 1234", "13907381234"),
        (" 139-0738-1234 ", "139-0738-1234"),
        ("0738-8221234", "0738-8221234"),
        ("０７３８－８２２１２３４", "0738-8221234"),
        ("1.3907381234E+10", "13907381234"),
        ("空缺", None),
        ("暂缺", None),
        ("", None),
        (None, None),
        ("——", None),
        ("1390738123", "1390738123"),
        ("13907381234.0", "13907381234"),
    ],
)
def test_parse_phone(value, expected):
    assert parse_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" 王建国 ", "王建国"),
        ("王  伟", "王伟"),
        ("欧阳 春生", "欧阳春生"),
        ("空缺", None),
        ("暂缺", None),
        ("无", None),
        ("", None),
        (None, None),
        ("杉山镇杉山村党支部", "杉山镇杉山村党支部"),
    ],
)
def test_parse_name(value, expected):
    assert parse_name(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("农村", "农村"),
        ("社区", "街道社区"),
        ("国企", "国有企业"),
        ("非公企业", "非公有制经济组织"),
        (" 卫 生 ", "医疗卫生单位"),
        ("学校类", "学校"),
        ("其它", None),
        ("", None),
    ],
)
def test_parse_category(value, expected):
    assert parse_category(value) == expected


def test_parse_status_maps_known_and_keeps_the_rest():
    assert parse_status(" 整顿中 ") == "整顿中"
    assert parse_status("已 验收") == "已验收"
    assert parse_status("基本完成") == "基本完成"
    assert parse_status("") is None


def test_blank_and_raw_text():
    assert is_blank("  ") and is_blank("——") and is_blank(float("nan")) and not is_blank(0)
    assert raw_text(13907381234.0) == "13907381234"
    assert raw_text(datetime(2014, 4, 25)) == "2014-04-25"
    assert raw_text(" 若干 ") == "若干"
    assert raw_text(None) is None
    assert not math.isnan(parse_count("0"))
