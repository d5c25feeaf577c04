"""The 研判 page under AppTest: readings listed by doubt, a correction made on the page changes its figures."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_pages import DASHBOARD, TIMEOUT, navigation_app, run  # noqa: F401
from tests.test_store_corrections import LAZY, SICK, a_return
from weakorg import accounts, app, audit, review
from weakorg.criteria import HIGH, LOW, PENDING
from weakorg.store import Store
from weakorg.store.corrections import CONFIRMED_SAID, NOTE_MISSING
from weakorg.text import md_text

UNREAD = "村集体经济薄弱，党员发展难"  # names problems, reads nothing: 待研判
SOLVED = "支委会缺员问题已于3月补选到位"  # a problem and its resolution in one sentence: 低
TEXTS = {"甲村党支部": SICK, "乙村党支部": UNREAD, "丙村党支部": LAZY, "丁村党支部": SOLVED}
PASSWORD = "a long password"


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A store holding one unit's return whose register has one text of each kind of doubt."""
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    monkeypatch.setattr(app, "SAMPLE_DIR", tmp_path / "no-samples")
    s = Store(url)
    s.add(a_return(TEXTS))
    yield s
    s.engine.dispose()


def open_review(at: AppTest | None = None) -> AppTest:
    at = at or run(AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT))
    at.switch_page("pages/review.py")
    return run(at)


def metrics(at: AppTest) -> dict[str, int]:
    return {m.label: int(m.value) for m in at.metric}


def listed(at: AppTest) -> list[tuple[str, str]]:
    table = at.dataframe[1].value
    return list(zip(table[review.STATE_LABEL], table["软弱涣散基层党组织名称"], strict=True))


def counted(at: AppTest) -> list[int]:
    return at.dataframe[0].value[review.COUNTED_LABEL].tolist()


def test_the_list_is_ordered_by_doubt_with_its_counts(store):
    at = open_review()
    assert at.title[0].value == review.TITLE
    assert metrics(at) == {PENDING: 2, LOW: 0, HIGH: 2, review.CORRECTED: 0}  # 丁: nothing counts, however read
    assert listed(at) == [(PENDING, "乙村党支部"), (PENDING, "丁村党支部"), (HIGH, "甲村党支部"), (HIGH, "丙村党支部")]
    table = at.dataframe[1].value
    assert "人工研判" in table[review.DOUBT_LABEL].iloc[0] and review.NONE_COUNTED in table[review.DOUBT_LABEL].iloc[1]
    assert table[review.EVIDENCE_LABEL].iloc[2].startswith("标准1：")
    assert counted(at) == [1, 1, 0, 0, 0, 0]  # criteria 1 and 2 read once each


def test_a_correction_made_on_the_page_changes_its_figures_and_is_stored(store):
    at = open_review()
    at.selectbox(key="review_org").select(("双峰县", "乙村党支部"))
    run(at)
    at.checkbox(key="rc5|双峰县|乙村党支部|0").check()
    at.button(key="review_save").click()
    run(at)
    assert [e.value for e in at.error] == [NOTE_MISSING]  # no note: nothing stored
    assert store.standing_corrections().empty

    at.text_area(key="rn|双峰县|乙村党支部|0").input("三会一课常年不开，应计标准5")
    at.button(key="review_save").click()
    run(at)
    assert metrics(at) == {PENDING: 1, LOW: 0, HIGH: 2, review.CORRECTED: 1}
    assert counted(at) == [1, 1, 0, 0, 1, 0]
    assert listed(at)[-1] == (review.CORRECTED, "乙村党支部")
    said = review.saved_note("乙村党支部", ([], []), ([5], []))
    assert [s.value for s in at.success] == [said] and "由无改为第（5）条" in said  # under the form: what changed
    assert at.selectbox(key="review_org").value == ("双峰县", "乙村党支部")  # the form still shows it
    assert any(m.value.startswith("已由") and "应计标准5" in m.value for m in at.markdown)
    orgs = app.picture(store).weak_orgs
    assert list(orgs.loc[orgs["name"] == "乙村党支部", "criteria"].iloc[0]) == [5]
    assert len(audit.query(store, action=audit.CORRECT)) == 1

    # saved again as it counts now: a confirmation, and the audit log says so (the first entry said a change)
    at.text_area(key="rn|双峰县|乙村党支部|1").input("复核无误")
    at.button(key="review_save").click()
    run(at)
    details = audit.query(store, action=audit.CORRECT)["detail"].tolist()
    assert len(details) == 2 and not details[0].startswith(CONFIRMED_SAID) and details[1].startswith(CONFIRMED_SAID)


def sign_in(username: str) -> AppTest:
    at = run(AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT))
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(PASSWORD)
    at.button[0].click()
    return run(at)


def test_a_supervisor_does_not_get_the_review_page(store):
    accounts.create(store, "dudao", PASSWORD, "督导组", units="双峰县")
    at = sign_in("dudao")
    assert at.title[0].value == "全市总览"
    with pytest.raises(ValueError, match=r"review\.py"):  # not among the pages the router registers for a 督导组
        at.switch_page("pages/review.py")


def test_an_analyst_corrects_under_its_name(store):
    accounts.create(store, "fenxi", PASSWORD, "分析员")
    at = open_review(sign_in("fenxi"))
    at.selectbox(key="review_org").select(("双峰县", "甲村党支部"))
    run(at)
    at.checkbox(key="rc1|双峰县|甲村党支部|0").uncheck()
    at.checkbox(key="rc2|双峰县|甲村党支部|0").check()
    at.text_area(key="rn|双峰县|甲村党支部|0").input("书记已出院在岗，只是不在状态")
    at.button(key="review_save").click()
    run(at)
    assert counted(at) == [0, 2, 0, 0, 0, 0]
    assert store.standing_corrections()["by"].tolist() == ["fenxi"]
    assert audit.query(store, action=audit.CORRECT)["account"].tolist() == ["fenxi"]


def test_a_crafted_text_is_shown_as_text(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    monkeypatch.setattr(app, "SAMPLE_DIR", tmp_path / "no-samples")
    crafted = "# 标题 **书记** 不在状态 [点此](http://example.com/x) <b>粗</b>"
    s = Store(url)
    s.add(a_return({"戊村党支部": crafted}))
    at = open_review()
    shown = [m.value for m in at.markdown if m.value.startswith("**主要问题**")]
    assert shown == [f"**主要问题**：{md_text(crafted)}"]
    assert at.dataframe[1].value["主要问题"].tolist() == [crafted]  # a table cell is text as it is
    s.engine.dispose()


def test_the_list_narrows_to_the_states_chosen(store):
    at = open_review()
    at.multiselect(key="review_states").select(PENDING)
    run(at)
    assert listed(at) == [(PENDING, "乙村党支部"), (PENDING, "丁村党支部")]
    assert metrics(at) == {PENDING: 2, LOW: 0, HIGH: 2, review.CORRECTED: 0}  # the counts stay those of all


def test_a_correction_withdrawn_on_the_page_gives_back_the_reading_and_the_card_keeps_the_record(store):
    """研判: an organization ticked with no criterion is warned about before saving; once corrected, its rules'
    doubt is no longer shown and 撤销更正 withdraws the correction: the reading counts again (待研判 again for a
    text the rules read nothing in), the page says so, and 组织明细's card lists both records, newest first."""
    from weakorg import scoped, views
    from weakorg.store.corrections import WITHDRAWN_SAID

    at = open_review()
    at.selectbox(key="review_org").select(("双峰县", "乙村党支部"))
    run(at)
    assert review.NONE_TICKED in [w.value for w in at.warning]  # nothing ticked: said before saving
    assert not [b for b in at.button if b.key == "review_withdraw"]  # nothing to withdraw yet
    assert any(m.value.startswith("**存疑原因**") for m in at.markdown)
    at.checkbox(key="rc5|双峰县|乙村党支部|0").check()
    at.text_area(key="rn|双峰县|乙村党支部|0").input("三会一课常年不开，应计标准5")
    at.button(key="review_save").click()
    run(at)
    assert not at.exception, at.exception
    assert metrics(at)[review.CORRECTED] == 1 and counted(at) == [1, 1, 0, 0, 1, 0]
    assert review.NONE_TICKED not in [w.value for w in at.warning]
    assert not any(m.value.startswith("**存疑原因**") for m in at.markdown)

    at.text_area(key="rn|双峰县|乙村党支部|1").input("经核实，原判读无误")  # a withdrawal's own reason
    at.button(key="review_withdraw").click()
    run(at)
    assert not at.exception, at.exception
    assert metrics(at) == {PENDING: 2, LOW: 0, HIGH: 2, review.CORRECTED: 0}
    assert counted(at) == [1, 1, 0, 0, 0, 0]
    assert [s.value for s in at.success] == [md_text(review.withdrawn_note("乙村党支部"))]
    assert store.standing_corrections().empty
    card = scoped.org_card(store, None, "双峰县", "乙村党支部")
    lines = views.correction_lines(card)
    assert card.correction is None and len(lines) == 2
    assert WITHDRAWN_SAID in lines[0] and "（5）" in lines[1] and lines[1].endswith("说明：三会一课常年不开，应计标准5")

    # the form starts afresh from what counts now: a withdrawn correction is never one click from coming back
    assert (
        not at.checkbox(key="rc5|双峰县|乙村党支部|2").value and at.text_area(key="rn|双峰县|乙村党支部|2").value == ""
    )

    # withdrawn with only 已更正 in view: the organization leaves the list, and the page still says it was withdrawn
    at.checkbox(key="rc5|双峰县|乙村党支部|2").check()
    at.text_area(key="rn|双峰县|乙村党支部|2").input("三会一课常年不开，应计标准5")
    at.button(key="review_save").click()  # its correction again
    run(at)
    at.multiselect(key="review_states").set_value([review.CORRECTED])
    run(at)
    at.text_area(key="rn|双峰县|乙村党支部|3").input("再次核实，原判读无误")
    at.button(key="review_withdraw").click()
    run(at)
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [md_text(review.withdrawn_note("乙村党支部"))]
    assert "没有处于所选研判状态的党组织。" in [i.value for i in at.info]
    assert review.COUNTS_NOTE in [c.value for c in at.caption]  # why the two counts may differ without corrections


def test_the_toast_after_a_save_is_short_enough_to_be_shown_whole(store):
    at = open_review()
    at.selectbox(key="review_org").select(("双峰县", "乙村党支部"))
    run(at)
    at.checkbox(key="rc5|双峰县|乙村党支部|0").check()
    at.text_area(key="rn|双峰县|乙村党支部|0").input("三会一课常年不开，应计标准5")
    at.button(key="review_save").click()
    run(at)
    assert [t.value for t in at.toast] == [review.SAVED_TOAST] and len(review.SAVED_TOAST) < 40  # never cut
    assert at.success[0].value.startswith("已保存对“乙村党支部”的更正")  # the whole sentence stays under the form
