"""A 督导组 of two counties under AppTest: no page, chart, table, option, download or edited link shows a third.

Every element a page renders is turned into text (metrics, markdown, captions, options, the
dataframes' cells, the charts' data, the bytes of every download) and searched for the third
county's name, its organizations' names and any full phone number of the stored returns.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile

import pandas as pd
import pytest
from google.protobuf.json_format import MessageToJson
from sqlalchemy import update
from streamlit.runtime import memory_media_file_storage
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from pages import _signin
from tests.test_pages import (
    DASHBOARD,
    ROOT,
    TIMEOUT,
    _KeptFiles,
    _NavigationPagesManager,
    boards,
    expected_metrics,
    fetch,
    fetched,
    figures,
    more,
    shown_metrics,
    title,
)
from weakorg import accounts, app, audit, overview, privacy, scoped, sessions, status
from weakorg.campaign import default_campaign
from weakorg.store import Store, schema
from weakorg.vocab import F2_COLUMNS

PASSWORD = "a long password"
COUNTIES = ["双峰县", "新化县"]  # the supervisor's
THIRD = "娄星区"  # stored, outside the supervisor's scope
PAGES = ("pages/overview.py", "pages/units.py", "pages/orgs.py", "pages/villages.py", "pages/status.py")


class _KeptStorage(memory_media_file_storage.MemoryMediaFileStorage):
    """Streamlit's in-memory media storage, kept after the run so a test can read what a download button holds."""

    last: _KeptStorage | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _KeptStorage.last = self


@pytest.fixture(autouse=True)
def navigation_app(monkeypatch):
    monkeypatch.setattr(app_test_module, "PagesManager", _NavigationPagesManager)
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", _KeptStorage)
    monkeypatch.setattr(app_test_module, "MediaFileManager", _KeptFiles)


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> str:
    """A database with the sample returns of three counties and a supervisor of two of them, a leader, an analyst."""
    url = f"sqlite:///{tmp_path_factory.mktemp('scope') / 'weakorg.db'}"
    s = Store(url)
    paths = [p for p in app.sample_files(ROOT / "sample_data") if p.name.startswith((*COUNTIES, THIRD))]
    app.store_readable(s, app.process_uploads([(p.name, p.read_bytes()) for p in paths], store=s))
    accounts.create(s, "dudao", PASSWORD, "督导组", units=",".join(COUNTIES))
    accounts.create(s, "lingdao", PASSWORD, "领导")
    accounts.create(s, "kong", PASSWORD, "督导组", units="双峰县")
    with s.writer.begin() as conn:  # a supervisor whose units were all taken away (refused now; a store of before)
        conn.execute(update(schema.users).where(schema.users.c.username == "kong").values(units=""))
    s.engine.dispose()
    return url


@pytest.fixture
def store(stored, tmp_path, monkeypatch):
    monkeypatch.setenv("WEAKORG_DATABASE_URL", stored)
    monkeypatch.setattr(app, "SAMPLE_DIR", tmp_path / "no-samples")
    s = Store(stored)
    yield s
    s.engine.dispose()


def signed_in(store, username: str, query: dict | None = None, page: str | None = None) -> AppTest:
    """The app opened by a signed-in account (its token, as a new tab has it), on a link's query and page."""
    _, token = sessions.sign_in(store, username, PASSWORD)
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    at.session_state[_signin.TOKEN] = token
    if page:
        at.switch_page(page)
    at.query_params.update(query or {})
    at.run()
    assert not at.exception, at.exception
    return at


def _download_texts(at: AppTest) -> list[str]:
    out = []
    for button in at.get("download_button"):
        data = fetch(button)  # a table's made at the click, as the browser asks for it
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                out.append(html.unescape("".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))))
        else:
            out.append(data.decode("utf-8-sig"))
    assert len(out) == len(at.get("download_button"))
    return out


def _download_names(at: AppTest) -> list[str]:
    """The file names of the page's download buttons, each fetched as a click fetches it."""
    return [fetched(button).filename for button in at.get("download_button")]


def _walk(node):
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)
    else:
        yield node


def page_texts(at: AppTest) -> str:
    """Everything the page shows or offers, as one text: every element, the tables' cells, the charts' data, files."""
    parts = []
    for el in _walk(at._tree):
        kind = getattr(el, "type", "")
        if kind == "echarts_chart":
            parts.append(json.dumps(json.loads(el.proto.spec), ensure_ascii=False))
        elif kind == "bidi_component":  # 全市总览's board (pages/_board.py): its data, not its script
            parts.append(json.dumps(json.loads(el.proto.json), ensure_ascii=False))
        elif kind in ("arrow_data_frame", "dataframe", "table"):
            frame = el.value
            parts.append(" ".join(map(str, frame.columns)) + "\n" + frame.to_csv(index=False))
        elif hasattr(el, "proto") and el.proto is not None:
            parts.append(MessageToJson(el.proto, ensure_ascii=False))
    return "\n".join(parts + _download_texts(at))


def forbidden(store) -> list[str]:
    """The third county's name and the names of its organizations and villages."""
    pic = app.picture(store, units=[THIRD])
    names = [THIRD, *pic.weak_orgs["name"].dropna(), *pic.villages["name"].dropna()]
    assert len(names) > 3
    return names


def full_phones(store) -> list[str]:
    """Every phone number of the stored returns as written (at least 7 digits), all units."""
    pic = app.picture(store)
    phones = pd.concat([pic.weak_orgs["phone"], pic.villages["phone"]]).dropna().astype(str)
    phones = [p for p in phones if sum(c.isdigit() for c in p) >= 7]
    assert len(phones) > 5
    return phones


def assert_nothing_of_the_third(at: AppTest, store) -> str:
    text = page_texts(at)
    for name in forbidden(store):
        assert name not in text, f"{name} shown on {at.title[0].value if at.title else '?'}"
    for phone in full_phones(store):
        assert phone not in text
    return text


def own_picture(store):
    return app.picture(store, units=COUNTIES)  # the two counties, computed without any scope


@pytest.mark.parametrize("page", PAGES)
def test_a_supervisor_sees_nothing_of_a_third_county_on_any_page(store, page):
    at = signed_in(store, "dudao", {"unit": COUNTIES} if page == "pages/units.py" else None, page)
    assert_nothing_of_the_third(at, store)
    assert at.sidebar.multiselect(key="filter_units").options == COUNTIES
    assert at.sidebar.multiselect(key="filter_units").proto.placeholder == scoped.SCOPE_PLACEHOLDER
    note = scoped.scope_note(COUNTIES)  # under the title: which units, and that every figure is theirs only
    assert note in [c.value for c in at.caption] and all(u in note for u in COUNTIES)
    pic = own_picture(store)
    named = [*_download_names(at), *(o["toolbox"]["feature"]["saveAsImage"]["name"] for o in boards(at))]
    assert all("全市" not in n and "、".join(COUNTIES) in n for n in named)  # its files name its counties
    if page in ("pages/overview.py", "pages/units.py"):
        assert shown_metrics(at) == expected_metrics(pic)
        assert shown_metrics(at)[0][1] == f"{len(COUNTIES)}/{len(COUNTIES)}"  # reported of expected: its own
    if page == "pages/overview.py":  # and what it draws when asked for: nothing of the third there either
        more(at, overview.TABLES)
        assert_nothing_of_the_third(at, store)
        assert at.dataframe[0].value["填报单位"].tolist() == COUNTIES
        assert sorted(at.dataframe[1].value["填报单位"]) == sorted(COUNTIES)  # the ranking
        for option in (overview.HEATMAPS, overview.PROGRESS):
            more(at, option)
            assert_nothing_of_the_third(at, store)
        more(at, overview.HEATMAPS)
        assert len(at.get("echarts_chart")) == 2 and len(figures(at)) == 5  # the board of three, two heatmaps
        for option in figures(at):
            for axis in ("xAxis", "yAxis"):  # the heatmaps' axes list units: only the two
                values = option[axis].get("data") or []
                assert not (set(default_campaign().unit_names) - set(COUNTIES)) & set(map(str, values))
    if page == "pages/orgs.py":
        assert sorted(at.dataframe[0].value[F2_COLUMNS["name"]]) == sorted(pic.weak_orgs["name"])
    if page == "pages/villages.py":
        assert int(at.metric[0].value.replace(",", "")) == len(pic.villages)
    if page == "pages/status.py":
        assert at.metric[0].value == str(len(COUNTIES))
        assert sorted(at.selectbox(key="status_progress_unit").options[1:]) == sorted(COUNTIES)
        assert at.selectbox(key="status_progress_unit").options[0] == "、".join(COUNTIES)  # both, not 全市
        assert title(figures(at)[0]).startswith("、".join(COUNTIES))
        expected = status.status_table(scoped.unit_status(store, None)).iloc[:0]  # the same columns
        assert list(at.dataframe[0].value.columns) == list(expected.columns)
        assert sorted(at.dataframe[0].value.iloc[:, 0]) == sorted(COUNTIES)


def test_a_supervisor_opens_县市区_on_its_own_counties(store):
    """No unit chosen: a 督导组 sees its counties at once (a leader is asked to choose)."""
    at = signed_in(store, "dudao", None, "pages/units.py")
    assert not at.info and "、".join(COUNTIES) in [c.value for c in at.caption]
    assert shown_metrics(at) == expected_metrics(own_picture(store))
    assert len(figures(at)) == 3  # by category, by criterion, by unit: two units
    leader = signed_in(store, "lingdao", None, "pages/units.py")
    assert "请在左侧" in leader.info[0].value


@pytest.mark.parametrize("page", PAGES)
def test_an_edited_link_to_the_third_county_shows_nothing_of_it_and_says_why(store, page):
    at = signed_in(store, "dudao", {"unit": THIRD}, page)
    assert_nothing_of_the_third(at, store)
    assert scoped.OUTSIDE_SCOPE.format(what=scoped.OUTSIDE_UNITS) in [w.value for w in at.warning]
    assert at.sidebar.multiselect(key="filter_units").value == []  # its own units, not the third's


def test_an_edited_link_to_an_organization_of_the_third_county_opens_no_card(store):
    name = app.picture(store, units=[THIRD]).weak_orgs["name"].iloc[0]
    at = signed_in(store, "dudao", {"org_unit": THIRD, "org": name}, "pages/orgs.py")
    assert_nothing_of_the_third(at, store)
    assert scoped.OUTSIDE_SCOPE.format(what=scoped.OUTSIDE_ORG) in [w.value for w in at.warning]
    assert not at.header  # no card
    assert scoped.org_card(store, tuple(COUNTIES), THIRD, name) is None
    assert scoped.org_card(store, None, THIRD, name) is not None  # a leader's


def test_a_leader_sees_every_county(store):
    at = signed_in(store, "lingdao")
    assert THIRD in page_texts(at)
    assert scoped.scope_note(None) is None and not [c for c in at.caption if "本账号只能查看" in c.value]
    assert at.sidebar.multiselect(key="filter_units").proto.placeholder == "全部单位"
    assert shown_metrics(at) == expected_metrics(app.picture(store))
    assert scoped.OUTSIDE_SCOPE.format(what=scoped.OUTSIDE_UNITS) not in [w.value for w in at.warning]


def test_a_scoped_picture_names_no_unit_outside_it(store):
    pic = scoped.picture(store, COUNTIES)
    assert list(pic.units) == [u for u in default_campaign().unit_names if u in COUNTIES]
    assert pic.city["units_expected"] == len(COUNTIES)
    assert set(scoped.ranking(store, COUNTIES)["unit"]) == set(COUNTIES)
    assert set(scoped.unit_status(store, COUNTIES)["unit"]) == set(COUNTIES)
    assert set(scoped.progress(store, COUNTIES)["unit"]) <= set(COUNTIES)
    assert scoped.unit_options(store, COUNTIES) == COUNTIES
    assert scoped.picture(store, COUNTIES, units=[THIRD]).weak_orgs.empty  # a filter outside the scope: nothing
    before = scoped.previous_picture(store, COUNTIES)
    assert before is not None and set(before[0].units) == set(COUNTIES)
    assert set(scoped.submissions(store, COUNTIES)["填报单位"]) == set(COUNTIES)


# --- the card: masked, revealed with a reason --------------------------------------------------------


def _org_with_mobile(store, unit: str) -> tuple[str, str]:
    orgs = app.picture(store, units=[unit]).weak_orgs
    mobiles = orgs[orgs["phone"].fillna("").str.fullmatch(r"1\d{10}")]
    return mobiles["name"].iloc[0], mobiles["phone"].iloc[0]


def test_a_supervisor_sees_a_masked_phone_and_cannot_reveal_it(store):
    name, phone = _org_with_mobile(store, COUNTIES[0])
    at = signed_in(store, "dudao", {"org_unit": COUNTIES[0], "org": name}, "pages/orgs.py")
    text = page_texts(at)
    assert privacy.mask_phone(phone) in text and phone not in text
    assert "reveal_reason" not in [t.key for t in at.text_input]
    assert privacy.REVEAL_LABEL not in [b.label for b in at.button]


def test_a_leader_reveals_one_phone_with_a_reason_and_it_is_audited_once(store):
    name, phone = _org_with_mobile(store, THIRD)
    at = signed_in(store, "lingdao", {"org_unit": THIRD, "org": name}, "pages/orgs.py")
    assert phone not in page_texts(at) and privacy.mask_phone(phone) in page_texts(at)
    before = len(audit.query(store, action=audit.REVEAL))

    at.button(key="reveal_phone").click().run()  # no reason: refused, nothing recorded
    assert not at.exception
    assert [e.value for e in at.error] == [privacy.REASON_MISSING]
    assert len(audit.query(store, action=audit.REVEAL)) == before

    at.text_input(key="reveal_reason").input("电话核实整顿进展").run()
    at.button(key="reveal_phone").click().run()
    assert not at.exception
    contact = [m.value for m in at.markdown if "联系方式" in m.value]
    assert contact and re.sub(r"\\", "", contact[0]).endswith(phone)
    at.run()  # another rerun shows it still, without a second entry
    log = audit.query(store, action=audit.REVEAL)
    assert len(log) == before + 1
    entry = log.iloc[-1]
    assert entry["account"] == "lingdao" and entry["unit"] == THIRD and name in entry["detail"]
    assert phone not in entry["detail"]
    assert "电话核实整顿进展" in entry["detail"]
    assert phone not in "".join(_download_texts(at))  # the card's files stay masked


def test_a_supervisor_with_no_unit_yet_sees_nothing_and_no_error(store):
    assert scoped.picture(store, ()).weak_orgs.empty and scoped.unit_options(store, ()) == []
    assert scoped.previous_picture(store, ()) is None and scoped.ranking(store, ()).empty
    for page in PAGES:
        at = signed_in(store, "kong", None, page)
        text = page_texts(at)
        assert not [u for u in (*COUNTIES, THIRD) if u in text], page


def test_the_list_beside_a_card_is_named_for_the_list_and_the_cards_table_for_the_organization(store):
    org = own_picture(store).weak_orgs.iloc[0]
    at = signed_in(store, "dudao", {"org_unit": org["unit"], "org": org["name"]}, "pages/orgs.py")
    listed = fetched(at.download_button(key="orgs_csv")).filename
    history = fetched(at.download_button(key="org_history_csv")).filename
    assert org["name"] not in listed and "、".join(COUNTIES) in listed  # all its rows: not the organization's
    assert org["name"] in history


def test_a_supervisors_download_names_its_counties_in_the_audit_log(store):
    at = signed_in(store, "dudao")
    at.button_group(key="overview_more").set_value(overview.TABLES)  # the overview's tables, drawn when asked for
    at.run()
    fetch(at.download_button(key="overview_units_xlsx"))
    entry = audit.query(store, action=audit.DOWNLOAD, account="dudao").iloc[-1]
    assert entry["unit"] == audit.UNITS_JOIN.join(sorted(COUNTIES))  # its two counties, not blank
    for county in COUNTIES:  # found by either county
        assert entry["id"] in audit.query(store, action=audit.DOWNLOAD, unit=county)["id"].tolist()
    assert entry["id"] not in audit.query(store, action=audit.DOWNLOAD, unit=THIRD)["id"].tolist()
