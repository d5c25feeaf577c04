"""The cell parsers, each on its own, with the ways real returns write values."""

import calendar
import math
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weakorg.read.cells import (
    DAY_FIRST,
    MONTH_FIRST,
    date_order,
    date_unreadable,
    is_blank,
    is_not_done,
    parse_category,
    parse_count,
    parse_date,
    parse_name,
    parse_percent,
    parse_phone,
    parse_secretary,
    parse_status,
    raw_text,
    year_last_readings,
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
        ("十二", 12.0),  # Chinese numerals: a count as written by hand
        ("一百零五个", 105.0),
        ("五十多", None),  # about fifty: no number
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
        ("2014年4月300日", None),  # a digit too many: no date, not 4月30日
        ("2014年4月13912345678日", None),
        ("4月300日", None),
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
    ("value", "order", "expected"),
    [
        ("04/23/2014", None, date(2014, 4, 23)),  # a part over 12 shows the order, whatever the file's
        ("23/04/2014", None, date(2014, 4, 23)),
        ("4/23/2014", DAY_FIRST, date(2014, 4, 23)),
        ("23.4.2014", MONTH_FIRST, date(2014, 4, 23)),
        ("04/05/2014", MONTH_FIRST, date(2014, 4, 5)),
        ("04/05/2014", DAY_FIRST, date(2014, 5, 4)),
        ("04/05/2014", None, None),  # ambiguous and nothing else tells: not read (DATE_INVALID asks for 2014年4月5日)
        ("13/13/2014", None, None),
        ("2014/04/05", DAY_FIRST, date(2014, 4, 5)),  # year first is never reordered
    ],
)
def test_year_last_dates(value, order, expected):
    assert parse_date(value, 2014, order) == expected
    assert date_unreadable(value, 2014, order) is (expected is None)


@pytest.mark.parametrize(
    ("values", "order"),
    [
        (["04/23/2014", "04/05/2014", None, 41754], MONTH_FIRST),
        (["23/04/2014", "04/05/2014", "2014年4月5日"], DAY_FIRST),
        (["04/05/2014", "03/04/2014"], None),
        (["04/23/2014", "23/04/2014"], None),  # the file contradicts itself: no order
        ([], None),
    ],
)
def test_date_order_from_the_dates_that_show_it(values, order):
    assert date_order(values) == order


def test_year_last_readings_only_when_the_order_does_not_show():
    assert year_last_readings("04/05/2014") == (date(2014, 4, 5), date(2014, 5, 4))
    assert year_last_readings("04/23/2014") is None
    assert year_last_readings("05/05/2014") is None  # both readings the same day
    assert year_last_readings("2014年4月5日") is None
    assert year_last_readings(None) is None


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
        ("空缺", "空缺"),
        (" 暂缺 ", "暂缺"),
        ("待选", "待选"),
        ("张 三", "张三"),
        ("无", None),
        ("——", None),
        (None, None),
    ],
)
def test_parse_secretary_keeps_a_vacancy_as_written(value, expected):
    assert parse_secretary(value) == expected


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


# ---------------------------------------------------------------------------
# Properties: every way of writing a value reads as the same value
# ---------------------------------------------------------------------------
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
spaces = st.sampled_from(["", " ", "  ", "\u3000", "\t"])


@settings(deadline=None)
@given(
    n=st.integers(min_value=0, max_value=10**7),
    unit=st.sampled_from(["", "个", "人", "名"]),
    full=st.booleans(),
    left=spaces,
    right=spaces,
)
def test_counts_round_trip_however_written(n, unit, full, left, right):
    text = str(n).translate(FULLWIDTH) if full else str(n)
    assert parse_count(f"{left}{text}{unit}{right}") == n
    assert parse_count(n) == parse_count(float(n)) == n


@settings(deadline=None)
@given(hundredths=st.integers(min_value=0, max_value=10000), mark=st.sampled_from(["%", "％"]), full=st.booleans())
def test_percent_writings_agree(hundredths, mark, full):
    points = hundredths / 100
    text = f"{points}".translate(FULLWIDTH) if full else f"{points}"
    readings = [
        parse_percent(points),
        parse_percent(f"{text}{mark}"),
        parse_percent(f" {text} "),
        parse_percent(points / 100, "0.00%"),
        parse_percent(points / 100, "0%"),
    ]
    assert all(math.isclose(r, points, abs_tol=1e-9) for r in readings), readings


@settings(deadline=None)
@given(
    prefix=st.sampled_from(["13", "14", "15", "16", "17", "18", "19"]),
    rest=st.integers(min_value=0, max_value=10**9 - 1),
)
def test_mobile_phones_as_floats_never_lose_digits(prefix, rest):
    phone = f"{prefix}{rest:09d}"
    assert parse_phone(float(phone)) == phone
    assert parse_phone(int(phone)) == phone
    assert parse_phone(f"{phone}.0") == phone
    assert parse_phone(f"{phone[:3]} {phone[3:7]} {phone[7:]}") == phone
    assert parse_phone(f"{float(phone):.10E}") == phone  # a CSV that wrote it in exponent form


@settings(deadline=None)
@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))
def test_dates_written_every_way_agree(day):
    y, m, d = day.year, day.month, day.day
    writings = [
        day,
        datetime(y, m, d),
        datetime(y, m, d, 0, 0),
        f"{y}.{m}.{d}",
        f"{y}-{m:02d}-{d:02d}",
        f"{y}/{m}/{d}",
        f"{y}年{m}月{d}日",
        f"{y} 年 {m} 月 {d} 日",
        f"{y}年{m}月{d}日".translate(FULLWIDTH),
        f"{y}{m:02d}{d:02d}",
        int(f"{y}{m:02d}{d:02d}"),
        float((day - date(1899, 12, 30)).days),  # an Excel serial number that lost its date format
    ]
    assert [parse_date(w) for w in writings] == [day] * len(writings)
    assert parse_date(f"{m}月{d}日", year=y) == day
    assert not date_unreadable(f"{y}.{m}.{d}")
    last = date(y, m, calendar.monthrange(y, m)[1])
    assert parse_date(f"{y}年{m}月底") == parse_date(f"{m}月底", year=y) == last


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("0%", 5.2), ("0.00%", 5.2), ("#,##0.0%", 5.2), ('0.0"%"', 0.052), ("0.0\\%", 0.052), ("General", 0.052)],
)
def test_percent_only_when_the_format_multiplies(fmt, expected):
    assert parse_percent(0.052, fmt) == pytest.approx(expected)
