"""Phone masking: the rules, tables by viewer, files masked, and a reveal recorded once (never the number)."""

from __future__ import annotations

import html

import pandas as pd
import pytest

from weakorg import accounts, audit, downloads, privacy, views
from weakorg.accounts import Account
from weakorg.store import Store
from weakorg.vocab import ADMIN, ANALYST, F2_COLUMNS, F3_COLUMNS, LEADER, SUPERVISOR

SUPERVISOR_ACCOUNT = Account("dudao", "督导一组", SUPERVISOR, frozenset({"双峰县"}))
LEADER_ACCOUNT = Account("lingdao", "领导", LEADER, None)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812341234", "138****1234"),
        (13907381234.0, "139****1234"),  # a phone the spreadsheet kept as a number
        ("13907381234.0", "139****1234"),
        ("0738-8221234", "073*-***1234"),  # a landline keeps its separator
        ("138 1234 1234", "138 **** 1234"),
        ("1581628409", "15****8409"),  # ten digits: still four masked
        ("8221234", "****234"),  # a short number keeps fewer
        ("123", "123"),  # too short to be a phone: a count, a port
        ("http://127.0.0.1:8501/x", "http://127.0.0.1:8501/x"),
        ("13812341234/0738-8221234", "138****1234/073*-***1234"),  # two numbers in one cell
        ("空缺", "空缺"),
        ("", ""),
    ],
)
def test_mask_phone(raw, masked):
    assert privacy.mask_phone(raw) == masked
    assert privacy.mask_phone(masked) == masked  # masking twice changes nothing


def test_absent_values_stay_absent_and_a_column_is_masked_at_once():
    assert privacy.mask_phone(None) is None
    series = pd.Series(["13812341234", None, "0738-8221234"])
    assert privacy.mask_phones(series).tolist() == ["138****1234", None, "073*-***1234"]


def test_free_text_masks_numbers_but_not_dates_or_cells():
    text = "联系方式“1581628409”不是手机号（填表时间2014年3月14日，请核对F7，共12个）"
    assert privacy.mask_text(text) == "联系方式“15****8409”不是手机号（填表时间2014年3月14日，请核对F7，共12个）"


def test_free_text_keeps_a_date_written_as_eight_digits():
    text = "“新化县-第3次-附件2-一览表-20140430.xlsx”填表时间20140430，联系电话13907381234，座机88221234"
    assert privacy.mask_text(text) == (
        "“新化县-第3次-附件2-一览表-20140430.xlsx”填表时间20140430，联系电话139****1234，座机****1234"
    )
    assert privacy.mask_phone("20140430") == "****0430"  # in the phone column every number is a phone


def test_free_text_hides_the_names_given_and_only_names():
    text = "书记杨勇长期外出务工（电话13907381234），杨勇说差不多了"
    hidden = privacy.mask_text(text, names=("杨勇",))
    assert hidden == "书记×××长期外出务工（电话139****1234），×××说差不多了"
    assert privacy.mask_text(hidden, names=("杨勇",)) == hidden  # masking twice changes nothing
    assert privacy.mask_text("杨勇13907381234", names=("杨勇",)) == f"{privacy.NAME_MASK}139****1234"
    # no name to hide: a vacancy word, one character, blank, absent, a number
    assert privacy.mask_text("书记职位空缺，缺人", names=("空缺", "缺", " ", None, 5)) == "书记职位空缺，缺人"
    assert privacy.mask_text(None, names=("杨勇",)) is None


def _register() -> pd.DataFrame:
    return pd.DataFrame(
        {
            F2_COLUMNS["name"]: ["白马村党支部", "青山村党支部"],
            F2_COLUMNS["phone"]: ["13812341234", "0738-8221234"],
            F2_COLUMNS["members"]: [12, 20],
        }
    )


def test_the_phone_columns_are_named_once_from_the_column_vocabulary():
    assert {"phone", F2_COLUMNS["phone"], F3_COLUMNS["phone"]} == privacy.PHONE_COLUMNS


@pytest.mark.parametrize("role", [SUPERVISOR, ADMIN, ANALYST, LEADER])
def test_every_role_sees_tables_masked_on_a_page(role):
    shown = privacy.fit_table(_register(), Account("x", "x", role, None))
    assert shown[F2_COLUMNS["phone"]].tolist() == ["138****1234", "073*-***1234"]
    assert shown.drop(columns=F2_COLUMNS["phone"]).equals(_register().drop(columns=F2_COLUMNS["phone"]))


def test_a_file_outside_the_pages_follows_the_role():
    assert privacy.may_reveal(LEADER_ACCOUNT) and privacy.may_reveal(Account("a", "a", ANALYST, None))
    assert not privacy.may_reveal(SUPERVISOR_ACCOUNT) and not privacy.may_reveal(Account("a", "a", ADMIN, None))
    full = privacy.fit_table(_register(), LEADER_ACCOUNT, on_screen=False)
    assert full[F2_COLUMNS["phone"]].tolist() == ["13812341234", "0738-8221234"]
    hidden = privacy.fit_table(_register(), SUPERVISOR_ACCOUNT, on_screen=False)
    assert hidden[F2_COLUMNS["phone"]].tolist() == ["138****1234", "073*-***1234"]


@pytest.mark.parametrize("fmt", list(downloads.FORMATS))
def test_a_supervisors_download_holds_no_full_number(fmt):
    data = downloads.table_bytes(privacy.fit_table(_register(), SUPERVISOR_ACCOUNT), fmt, sheet="一览表")
    text = data.decode("utf-8-sig") if fmt == "csv" else _xlsx_text(data)
    assert "13812341234" not in text and "8221234" not in text and "138****1234" in text and "073*-***1234" in text


def _xlsx_text(data: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return html.unescape("".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")))


def test_the_card_shows_the_number_masked_unless_revealed():
    card = views.OrgCard("双峰县", "白马村党支部", {"phone": "13812341234"}, pd.DataFrame(), pd.DataFrame())
    assert views.contact_markdown(card).endswith("138\\*\\*\\*\\*1234")
    assert views.contact_markdown(card, revealed=True).endswith("13812341234")


def test_a_number_written_in_free_text_is_masked_as_the_phone_is():
    frame = pd.DataFrame(
        {
            F3_COLUMNS["name"]: ["白马村党支部（联系人13944445555）"],
            F3_COLUMNS["problems"]: ["群众意见大，可联系村民王五13911112222，2014年4月30日前整改"],
            F3_COLUMNS["measures"]: ["由乡党委书记（0738-8221234）包村"],
            F3_COLUMNS["secretary"]: ["颜军（手机13922223333）"],
            F3_COLUMNS["phone"]: ["13812341234"],
        }
    )
    shown = privacy.masked(frame).iloc[0]
    assert shown[F3_COLUMNS["problems"]] == "群众意见大，可联系村民王五139****2222，2014年4月30日前整改"
    assert shown[F3_COLUMNS["measures"]] == "由乡党委书记（073*-***1234）包村"
    assert shown[F3_COLUMNS["secretary"]] == "颜军（手机139****3333）"
    assert shown[F3_COLUMNS["name"]] == "白马村党支部（联系人139****5555）"  # a name is a clerk's text too


def test_the_card_masks_a_number_in_its_text_and_its_secretary():
    from types import SimpleNamespace

    from tests.test_views import f2_rows

    problems = "书记长期外出，可联系村民王五13911112222"
    orgs = pd.DataFrame(
        [{"unit": "双峰县", "name": "白马村党支部", "problems": problems, "secretary": "颜军（手机13922223333）"}]
    )
    card = views.org_card(orgs, SimpleNamespace(f2=f2_rows()), "双峰县", "白马村党支部")
    said = views.problems_markdown(card) + str(views.card_facts(card))
    assert "13911112222" not in said and "13922223333" not in said and "139\\*\\*\\*\\*2222" in said


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'weakorg.db'}")
    yield s
    s.engine.dispose()


def test_a_reveal_needs_a_reason_and_leaves_one_entry_without_the_number(store):
    assert not privacy.reveal(store, LEADER_ACCOUNT, "双峰县", "白马村党支部", "  ")
    assert audit.query(store, action=audit.REVEAL).empty
    reason = "核实进展，回拨13812341234"  # a number typed into the reason is masked too
    assert privacy.reveal(store, LEADER_ACCOUNT, "双峰县", "白马村党支部", reason, origin="10.0.0.8")
    log = audit.query(store, action=audit.REVEAL)
    assert len(log) == 1
    entry = log.iloc[0]
    assert (entry["account"], entry["unit"], entry["origin"]) == ("lingdao", "双峰县", "10.0.0.8")
    assert entry["detail"] == "白马村党支部：核实进展，回拨138****1234"


def test_a_role_that_may_not_reveal_records_nothing(store):
    assert not privacy.reveal(store, SUPERVISOR_ACCOUNT, "双峰县", "白马村党支部", "想看看")
    assert audit.query(store, action=audit.REVEAL).empty


def test_a_reveal_in_demo_mode_is_recorded_as_the_demo(store):
    assert not accounts.has_accounts(store)
    assert privacy.reveal(store, None, "双峰县", "白马村党支部", "演示")
    assert audit.query(store, action=audit.REVEAL)["account"].tolist() == [privacy.DEMO_VIEWER]


def test_a_mobile_grouped_by_dots_is_masked_and_a_decimal_figure_is_not():
    assert privacy.mask_phone("139.0738.3333") == "139.****.3333"  # PHONE_INVALID accepts it: it must not leak
    assert privacy.mask_text("电话139.0738.3333") == "电话139.****.3333"
    assert privacy.mask_text("挪用资金12345.67元") == "挪用资金12345.67元"
    assert privacy.mask_text(privacy.mask_text("139.0738.3333")) == "139.****.3333"


def test_a_phone_typed_into_a_reason_or_a_note_is_masked_wherever_it_is_shown(tmp_path):
    """A withdrawal's reason, an explanation and a correction's note are an analyst's words, and they hold numbers
    (联系人13911112222): shown to every role on the card, the lists and the log, never in full."""
    from types import SimpleNamespace

    from tests.test_store import file_result
    from weakorg.app import explained_text

    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    sid = store.add(file_result())
    store.withdraw(sid, "联系人13911112222来电：数据有误", by="admin")
    assert store.submissions()["withdraw_reason"].tolist() == ["联系人139****2222来电：数据有误"]
    logged = " ".join(str(d) for d in audit.query(store)["detail"])
    assert "139****2222" in logged and "13911112222" not in logged
    said = explained_text({"reason": "书记新号码13800001111", "explained_by": "zhang", "explained_at": None})
    assert said == "已说明：书记新号码138****1111（zhang）"
    card = SimpleNamespace(
        correction={"criteria": [2], "flags": [], "by": "fenxi1", "at": None, "note": "电话13700002222"}
    )
    line = views.correction_markdown(card)
    assert "13700002222" not in line and "2222" in line  # masked (and escaped as Markdown)


def test_free_text_keeps_a_date_written_with_dashes_as_in_a_files_name():
    text = "通报：out/通报-2014-03-12.docx；全市汇总表：city-2014-3-9.xlsx；电话139-0738-3333、0738-8221234"
    assert privacy.mask_text(text) == (
        "通报：out/通报-2014-03-12.docx；全市汇总表：city-2014-3-9.xlsx；电话139-****-3333、073*-***1234"
    )
