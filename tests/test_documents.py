"""The 通报 (.docx) and the brief (PDF) of the sample campaign as of a date: every unit named, the figures the
consolidation's, the 公文 layout; the commands that write them; LibreOffice's rendering when it is installed."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from pypdf import PdfReader
from test_pages import navigation_app, start  # noqa: F401  (the fixture makes AppTest run the router)

from weakorg import cli
from weakorg.app import SAMPLE_DIR, load_samples_if_empty, sample_files
from weakorg.asof import behind_text
from weakorg.campaign import default_campaign
from weakorg.consolidate import consolidate
from weakorg.documents import figures
from weakorg.documents.brief import brief_pdf, brief_title
from weakorg.documents.bulletin import bulletin_blocks, bulletin_text, ranking_rows, title
from weakorg.documents.data import from_store
from weakorg.documents.gongwen import bulletin_bytes
from weakorg.history import as_of
from weakorg.store import Store
from weakorg.tables import returns_from_files
from weakorg.vocab import STATUS_DONE

DAY, FIRST_ROUND, PREVIOUS_ROUND = date(2014, 4, 30), date(2014, 3, 12), date(2014, 4, 15)  # the campaign's rounds
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def store_url(tmp_path_factory) -> str:
    """A store holding the sample returns."""
    url = f"sqlite:///{tmp_path_factory.mktemp('documents') / 'weakorg.db'}"
    store = Store(url)
    try:
        assert load_samples_if_empty(store, demo=True)
    finally:
        store.engine.dispose()
    return url


@pytest.fixture(scope="module")
def data(store_url):
    store = Store(store_url)
    try:
        return from_store(store, DAY)
    finally:
        store.engine.dispose()


@pytest.fixture(scope="module")
def expected():
    """The sample returns consolidated straight from their files, as they stood on DAY and on the round before it."""
    campaign = default_campaign()
    files = cli.read_paths(sample_files(SAMPLE_DIR), campaign)
    returns = returns_from_files(files)
    now = consolidate(as_of(returns, DAY), campaign)
    before = consolidate(as_of(returns, PREVIOUS_ROUND), campaign, checks=False)
    return now, before, consolidate(as_of(returns, FIRST_ROUND), campaign, checks=False)


@pytest.fixture(scope="module")
def docx_bytes(data) -> bytes:
    return bulletin_bytes(data)


def _text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def test_the_bulletin_has_its_title_and_the_headline_figures_of_the_consolidation(docx_bytes, expected):
    now, before, _ = expected
    doc = Document(io.BytesIO(docx_bytes))
    assert doc.paragraphs[0].text == "关于全市整顿软弱涣散基层党组织\n工作进展情况的通报"  # one paragraph, two lines
    text = _text(doc)
    city = now.city
    assert f"所辖基层党组织{int(city['orgs_total'])}个" in text
    assert f"软弱涣散基层党组织{int(city['weak_total'])}个，占{city['weak_share']:.2f}%" in text
    done = int(now.weak_orgs["status"].isin(STATUS_DONE).sum())
    assert f"合计{done}个" in text and f"一览表列出{len(now.weak_orgs)}个" in text
    assert f"换届选举难点村{city['villages']}个，已完成换届{city['villages_elected']}个" in text
    weak_then = int(before.city["weak_total"])
    weak_now = int(city["weak_total"])
    said = (
        f"由{weak_then}个变为{weak_now}个" if weak_then != weak_now else f"{weak_now}个，没有变化"
    )  # never 241→241（+0）
    assert f"软弱涣散基层党组织{said}" in text and "（+0个）" not in text
    v_then, v_now = int(before.city["villages"]), int(city["villages"])
    villages = f"由{v_then}个变为{v_now}个" if v_then != v_now else f"{v_now}个，没有变化"
    assert f"；难点村{villages}；难点村中已完成换届的" in text  # the list beside its re-elected ones
    assert "2014年3月7日至2014年4月30日" in text and "数据截至2014年4月30日" in text


def test_the_ranking_table_has_one_row_per_unit_in_order_with_the_consolidation_figures(docx_bytes, data, expected):
    now, *_ = expected
    table = Document(io.BytesIO(docx_bytes)).tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0][:2] == ["排名", "填报单位"]
    body = rows[1:]
    assert sorted(r[1] for r in body) == sorted(default_campaign().unit_names)  # every unit, once
    assert [r[1] for r in body] == list(data.ranking["unit"])
    ranks = [int(r[0]) for r in body]
    assert ranks == sorted(ranks) and ranks[0] == 1
    listed = now.weak_orgs.groupby("unit").size()
    done = now.weak_orgs["status"].isin(STATUS_DONE).groupby(now.weak_orgs["unit"]).sum()
    share = now.by_unit.set_index("unit")["weak_share"]
    at = {name: i for i, name in enumerate(rows[0])}  # by header: the columns' order is the page's
    for row in body:
        unit = row[1]
        assert int(row[at["一览表所列数"]]) == listed.get(unit, 0), unit
        assert int(row[at["已转化或已验收数"]]) == done.get(unit, 0), unit
        assert row[at["软弱涣散占比（%）"]] == f"{share[unit]:.2f}", unit
    progress = [float(r[at["整顿转化率（%）"]]) for r in body]
    assert progress == sorted(progress, reverse=True)  # the best first


def test_the_bulletin_is_laid_out_as_a_government_document(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    section = doc.sections[0]
    sizes = ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin")
    assert [round(getattr(section, s).mm, 1) for s in sizes] == [210, 297, 37, 35, 28, 26]
    assert section._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")) == "579"  # 22 lines in 225 mm
    title_run = doc.paragraphs[0].runs[0]
    assert title_run.font.size == Pt(22) and title_run.font.name == "方正小标宋简体"
    assert title_run.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    heading = next(p for p in doc.paragraphs if p.text.startswith("一、"))
    assert heading.runs[0].font.name == "黑体"
    sub = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert sub.runs[0].font.name == "楷体_GB2312"
    body = doc.styles["Normal"].font
    assert body.name == "仿宋_GB2312" and body.size == Pt(16)
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    assert "PAGE" in footer._p.xml and footer.runs[0].font.size == Pt(14)
    assert doc.settings.odd_and_even_pages_header_footer
    assert len(doc.inline_shapes) == 1  # the progress chart
    # the signature kept with the date on one page, no table row split over two pages
    signature = next(i for i, p in enumerate(doc.paragraphs) if p.text == default_campaign().issuer)
    assert doc.paragraphs[signature].paragraph_format.keep_with_next
    assert doc.paragraphs[signature - 1].paragraph_format.keep_with_next  # the blank line above goes with them
    (ranking,) = doc.tables
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in ranking.rows)
    # each column as wide as its longest value needs: 报送状态 holds 首次按时， (5 characters at 3.7 mm, margins 4 mm)
    state = [c.text for c in ranking.rows[0].cells].index("报送状态")
    assert ranking.columns[state].width.mm >= 5 * 3.7 + 4
    assert round(sum(c.width.mm for c in ranking.columns)) == 156  # the text area's width


def test_late_and_missing_units_are_named_as_of_the_first_round(store_url, expected):
    *_, before = expected  # as of the first round
    store = Store(store_url)
    try:
        early = from_store(store, FIRST_ROUND)
    finally:
        store.engine.dispose()
    missing = [u for u in default_campaign().unit_names if u not in set(before.by_unit["unit"])]
    assert missing  # the sample has a unit whose first return came after the deadline
    text = bulletin_text(bulletin_blocks(early))
    assert f"尚未报送的有：{'、'.join(missing)}。" in text  # on the deadline day: not late (仍) yet
    assert "仍未报送" not in text
    assert "本次为首次通报" in text
    assert text.splitlines()[2] == f"{default_campaign().addressees}：" and "各县市区委组织部" in text  # 主送
    assert f"软弱涣散基层党组织{int(before.city['weak_total'])}个" in text


def test_the_filters_in_force_narrow_the_bulletin_and_are_said(store_url):
    store = Store(store_url)
    try:
        narrowed = from_store(store, DAY, units=["双峰县", "新化县"], categories=["农村"])
    finally:
        store.engine.dispose()
    assert title(narrowed) == "关于双峰县、新化县农村整顿软弱涣散基层党组织工作进展情况的通报"
    assert list(narrowed.ranking["unit"]) != [] and set(narrowed.ranking["unit"]) == {"双峰县", "新化县"}
    assert "填报单位：双峰县、新化县；党组织类别：农村" in bulletin_text(bulletin_blocks(narrowed))
    store = Store(store_url)
    try:
        scoped = from_store(store, DAY, scope=["双峰县"], units=["双峰县", "新化县"])
    finally:
        store.engine.dispose()
    assert list(scoped.ranking["unit"]) == ["双峰县"] and scoped.place == "双峰县"


def test_the_brief_holds_the_headline_numbers_and_every_unit(data, expected):
    now, *_ = expected
    reader = PdfReader(io.BytesIO(brief_pdf(data)))
    assert 1 <= len(reader.pages) <= 2
    text = "".join(page.extract_text() for page in reader.pages)
    city = now.city
    assert f"{int(city['units_reported'])}/{len(default_campaign().unit_names)}" in text
    assert f"{city['weak_share']:.2f}%" in text and f"{city['villages_elected']}/{city['villages']}" in text
    assert f"软弱涣散基层党组织{int(city['weak_total'])}个" in text
    for unit in default_campaign().unit_names:
        assert unit in text, unit
    flat = text.replace("\n", "")
    behind = behind_text(data.status, data.day, data.campaign)  # a unit with nothing since 4月15日, said
    assert behind.startswith("第3次报送") and behind in flat and behind in bulletin_text(bulletin_blocks(data))
    assert "已转化或已验收/一览表所列" in flat  # the tile says what its two numbers are of
    fonts = {str(f.get("/BaseFont")) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert any("CJK" in f for f in fonts)  # the Chinese font is embedded (subset), not left to the reader


def test_the_briefs_ranking_cells_hold_their_text_a_unit_behind_included(data):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from weakorg.documents.brief import _second_page

    with figures.DRAWING:
        fig = _second_page(data)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        table = fig.axes[-1].tables[0]
        cells = table.get_celld()
        texts = {cell.get_text().get_text() for cell in cells.values()}
        assert "首次按时，\n第3次未报" in texts  # wrapped at its comma
        for (r, c), cell in cells.items():
            box, said = cell.get_window_extent(renderer), cell.get_text().get_window_extent(renderer)
            assert said.width <= box.width + 1 and said.height <= box.height + 1, (r, c, cell.get_text().get_text())


def test_a_city_return_whose_filters_match_no_return_is_refused_not_written_as_zeros(
    store_url, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("WEAKORG_DATABASE_URL", store_url)
    out = tmp_path / "双峰县-国有企业.xlsx"
    argv = ["city-return", "-o", str(out), "--as-of", "2014-04-30", "--unit", "双峰县", "--category", "国有企业"]
    assert cli.main(argv) == cli.EXIT_PROBLEMS and not out.exists()
    assert "按所选条件（填报单位：双峰县；党组织类别：国有企业）没有任何单位报送过报表" in capsys.readouterr().err
    assert cli.main([*argv[:-1], "农村"]) == cli.EXIT_OK and out.exists()  # its 农村 tables: written


def test_without_a_chinese_font_the_message_names_the_package(monkeypatch):
    figures.cjk_font.cache_clear()
    monkeypatch.setattr(figures.font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(figures.font_manager, "findSystemFonts", lambda *a, **k: [])
    try:
        with pytest.raises(figures.FontMissing) as caught:
            figures.cjk_font()
        assert "fonts-noto-cjk" in caught.value.message and "安装中文字体" in caught.value.message
    finally:
        monkeypatch.undo()
        figures.cjk_font.cache_clear()


def test_the_commands_write_the_bulletin_and_the_brief(store_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WEAKORG_DATABASE_URL", store_url)
    docx_path, pdf_path = tmp_path / "通报.docx", tmp_path / "out" / "简报.pdf"
    assert cli.main(["bulletin", "-o", str(docx_path), "--as-of", "2014-04-30"]) == cli.EXIT_OK
    assert cli.main(["brief", "-o", str(pdf_path), "--as-of", "2014-04-30", "--unit", "双峰县"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert str(docx_path) in out and str(pdf_path) in out
    assert Document(str(docx_path)).paragraphs[0].text.startswith("关于全市")
    assert "双峰县整顿软弱涣散基层党组织工作简报" in PdfReader(str(pdf_path)).pages[0].extract_text()
    with pytest.raises(SystemExit):
        cli.main(["bulletin", "-o", str(docx_path), "--as-of", "4月30日"])
    assert "2014-04-30" in capsys.readouterr().err


def test_the_city_return_command_writes_what_the_documents_page_offers(store_url, tmp_path, monkeypatch, capsys):
    from weakorg import accounts
    from weakorg.export.city import city_workbook

    monkeypatch.setenv("WEAKORG_DATABASE_URL", store_url)
    path = tmp_path / "全市汇总表.xlsx"
    assert cli.main(["city-return", "-o", str(path), "--as-of", "2014-04-15", "--unit", "双峰县"]) == cli.EXIT_OK
    assert str(path) in capsys.readouterr().out
    store = Store(store_url)
    try:
        data = from_store(store, PREVIOUS_ROUND, None, ["双峰县"], [], default_campaign())
        made = city_workbook(data.picture, data.campaign, data.day, data.units, None, data.explanations)  # the page's
        offered = openpyxl.load_workbook(io.BytesIO(made))
        accounts.create(store, "lingdao", "a long password", "领导")
    finally:
        store.engine.dispose()
    written = openpyxl.load_workbook(path)
    assert written.sheetnames == offered.sheetnames
    for ws in written:  # cell for cell, the page's file of the same day and unit
        assert [[c.value for c in r] for r in ws.iter_rows()] == [
            [c.value for c in r] for r in offered[ws.title].iter_rows()
        ]
    assert any("双峰县" in str(c.value) for r in written.worksheets[0].iter_rows() for c in r)
    refused = tmp_path / "领导.xlsx"  # a role that may download but not export: no file
    assert cli.main(["city-return", "-o", str(refused), "--user", "lingdao"]) == cli.EXIT_USAGE
    assert "不能导出全市汇总表" in capsys.readouterr().err and not refused.exists()


@pytest.mark.parametrize(
    "asked, said",
    [
        (["--unit", "不存在县"], "没有这些填报单位：不存在县"),  # refused, never a 通报 of nobody
        (["--category", "不存在"], "没有这些党组织类别：不存在"),
        (["--as-of", "2013-01-01"], "2013-01-01不在其中"),  # before the campaign: a period ending before it starts
        (["--as-of", "2030-01-01"], "2030-01-01不在其中"),  # after today
    ],
)
def test_the_commands_refuse_what_no_document_can_be_of(store_url, tmp_path, monkeypatch, capsys, asked, said):
    monkeypatch.setenv("WEAKORG_DATABASE_URL", store_url)
    for command, name in (("bulletin", "x.docx"), ("brief", "x.pdf"), ("city-return", "x.xlsx")):
        assert cli.main([command, "-o", str(tmp_path / name), *asked]) == cli.EXIT_USAGE
        assert said in capsys.readouterr().err and not (tmp_path / name).exists()


def test_a_unit_by_another_of_its_names_is_the_unit(store_url, tmp_path, monkeypatch):
    from weakorg.campaign import default_campaign

    monkeypatch.setenv("WEAKORG_DATABASE_URL", store_url)
    alias = next(a for u in default_campaign().units if u.name == "双峰县" for a in u.aliases)
    assert cli.main(["bulletin", "-o", str(tmp_path / "x.docx"), "--unit", alias]) == cli.EXIT_OK
    assert Document(str(tmp_path / "x.docx")).paragraphs[0].text.startswith("关于双峰县")  # 双峰: it was 关于双峰…0个


@pytest.mark.parametrize(("command", "out"), [("bulletin", "x.docx"), ("city-return", "x.xlsx"), ("brief", "x.pdf")])
def test_an_empty_store_says_so_and_makes_no_database(tmp_path, monkeypatch, capsys, command, out):
    monkeypatch.setenv("WEAKORG_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert cli.main([command, "-o", str(tmp_path / out)]) == 1
    assert "还没有任何报送" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # neither the file nor a database made for nothing


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (CI installs it)")
def test_libreoffice_renders_the_bulletin_and_pdftoppm_its_pages(docx_bytes, tmp_path):
    source = tmp_path / "bulletin.docx"
    source.write_bytes(docx_bytes)
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
    )
    pdf = tmp_path / "bulletin.pdf"
    pages = PdfReader(str(pdf)).pages
    assert 2 <= len(pages) <= 8
    assert "关于全市整顿软弱涣散基层党组织" in pages[0].extract_text()
    assert "— 1 —" in pages[0].extract_text()
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob("bulletin-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / "bulletin")], check=True)
    assert len(list(ARTIFACTS.glob("bulletin-*.png"))) == len(pages)


def test_the_page_previews_the_bulletin_and_offers_the_documents(tmp_path, monkeypatch, expected):
    now, *_ = expected
    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    monkeypatch.setenv("WEAKORG_DEMO", "1")
    at = start()  # a demo's first start loads the sample returns
    at.switch_page("pages/documents.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "通报与简报"
    assert at.selectbox(key="documents_day").value == DAY  # the latest 填表时间 of the samples
    preview = at.text[0].value
    assert preview.startswith("关于全市整顿软弱涣散基层党组织工作进展情况的通报")
    assert f"排查确定软弱涣散基层党组织{int(now.city['weak_total'])}个，占{now.city['weak_share']:.2f}%" in preview
    ranking = at.dataframe[0].value
    assert sorted(ranking["填报单位"]) == sorted(default_campaign().unit_names)  # every unit, once
    listed = now.weak_orgs.groupby("unit").size()
    assert all(int(n) == listed.get(u, 0) for u, n in zip(ranking["填报单位"], ranking["一览表所列数"], strict=True))
    assert "五、下一步工作要求" in at.text[1].value and "中共娄底市委组织部" in at.text[1].value
    assert "数据截至2014年4月30日" in at.caption[0].value and "全部单位" in at.caption[0].value
    buttons = [b.proto.label for b in at.get("download_button")]
    assert buttons == ["下载通报（Word）", "下载会议简报（PDF）", "下载全市汇总表（附件1-3正式格式）"]

    at.selectbox(key="documents_day").set_value(FIRST_ROUND).run()
    assert not at.exception, at.exception
    assert "截至2014年3月12日尚未报送的有：新化县。" in at.text[1].value  # the deadline's own day: not late yet

    at.sidebar.multiselect(key="filter_units").set_value(["双峰县"]).run()
    at.sidebar.multiselect(key="filter_categories").set_value(["国有企业"]).run()  # 双峰县 sent none: no zeros
    assert not at.exception, at.exception
    assert [b.proto.label for b in at.get("download_button")] == ["下载通报（Word）", "下载会议简报（PDF）"]
    assert any("按所选条件（填报单位：双峰县；党组织类别：国有企业）没有任何单位报送过报表" in i.value for i in at.info)


def test_a_supervisor_gets_the_documents_of_its_units_and_no_city_return(tmp_path, monkeypatch):
    from weakorg import accounts

    url = f"sqlite:///{tmp_path / 'weakorg.db'}"
    monkeypatch.setenv("WEAKORG_DATABASE_URL", url)
    store = Store(url)
    try:
        assert load_samples_if_empty(store, demo=True)
        accounts.create(store, "dudao", "a long password", "督导组", units="双峰县")
    finally:
        store.engine.dispose()
    at = start()
    at.text_input(key="signin_username").input("dudao")
    at.text_input(key="signin_password").input("a long password")
    at.button[0].click()
    at.run()
    at.switch_page("pages/documents.py").run()
    assert not at.exception, at.exception
    assert at.text[0].value.startswith("关于双峰县整顿软弱涣散基层党组织工作进展情况的通报")
    assert list(at.dataframe[0].value["填报单位"]) == ["双峰县"]  # no other unit named, not even as missing
    assert [b.proto.label for b in at.get("download_button")] == ["下载通报（Word）", "下载会议简报（PDF）"]
    assert any("由分析员导出上报" in c.value for c in at.caption)  # the city return not offered: said why
    assert any("填报单位：双峰县" in c.value for c in at.caption)
    assert not [c.value for c in at.caption if "全部单位" in c.value]  # its documents are its unit's: said so


def test_open_errors_checked_as_of_the_date_agree_with_the_stores_current_findings(store_url, data):
    from weakorg.documents.data import gather

    store = Store(store_url)
    try:
        checked = gather(store.returns(findings=False), store.submissions(), DAY)  # the checks run as of DAY
    finally:
        store.engine.dispose()
    errors = dict(zip(checked.ranking["unit"], checked.ranking["open_errors"], strict=True))
    assert errors == dict(zip(data.ranking["unit"], data.ranking["open_errors"], strict=True))
    assert sum(errors.values()) > 0  # the sample's last round has errors left


def test_a_criterion_counted_above_the_weak_organizations_gets_no_share_above_100_percent(data):
    """A return not yet corrected (CRITERION_EXCEEDS_WEAK) must not put 占150.0% in an official document."""
    import re
    from dataclasses import replace

    from weakorg.documents.bulletin import OVER_COUNTED, dominant_criteria

    frame = data.picture.by_category.copy()
    i = frame.index[frame["weak_total"] > 0][0]
    category, weak = frame.at[i, "category"], int(frame.at[i, "weak_total"])
    frame.loc[i, [f"c{n}" for n in range(1, 7)]] = [0, 0, 0, 0, 0, 0]
    frame.loc[i, ["c6", "c3"]] = [weak + 1, weak]
    said = next(
        s
        for s in dominant_criteria(replace(data, picture=replace(data.picture, by_category=frame)))
        if s.startswith(category)
    )
    assert f"（{weak + 1}个）" in said and f"（{weak}个，占100.0%）" in said and OVER_COUNTED in said
    assert all(float(p) <= 100 for p in re.findall(r"占(\d+\.\d)%", said))
    plain = next(s for s in dominant_criteria(data) if s.startswith(category))
    assert OVER_COUNTED not in plain and "占" in plain  # a return as it should be: the shares, no note


def test_criteria_met_as_often_as_the_next_are_all_named_never_cut_at_two(data):
    from dataclasses import replace

    from weakorg.documents.bulletin import dominant_criteria

    frame = data.picture.by_category.copy()
    i = frame.index[frame["weak_total"] > 0][0]
    category = frame.at[i, "category"]
    frame.loc[i, "weak_total"] = 3
    frame.loc[i, [f"c{n}" for n in range(1, 7)]] = [0, 0, 1, 0, 1, 1]  # three tied at one each
    said = next(
        s
        for s in dominant_criteria(replace(data, picture=replace(data.picture, by_category=frame)))
        if s.startswith(category)
    )
    assert "以第（3）条" in said and "、第（5）条" in said and "和第（6）条" in said and said.count("占33.3%") == 3
    frame.loc[i, [f"c{n}" for n in range(1, 7)]] = [2, 0, 1, 0, 0, 0]  # the most met, and the next
    said = next(
        s
        for s in dominant_criteria(replace(data, picture=replace(data.picture, by_category=frame)))
        if s.startswith(category)
    )
    assert "以第（1）条" in said and "和第（3）条" in said and "第（5）条" not in said


def test_the_briefs_lines_never_cut_a_date_or_open_on_a_comma():
    from itertools import pairwise

    from weakorg.documents.brief import _wrap

    text = "第3次报送（2014年4月30日）尚未报送的有：万宝新区（最近一次为2014年4月15日），按其最近一次报送统计。"
    for width in range(12, 60):
        lines = _wrap(text, width)
        assert "".join(lines) == text  # nothing lost or added
        for before, after in pairwise(lines):  # no date or number cut between two lines
            assert not (before[-1].isdigit() or before[-1] in "年月") or not (
                after[0].isdigit() or after[0] in "年月日"
            )
        assert not any(line[0] in "，。；：）" for line in lines[1:]), width


def _progress_ticks(data) -> tuple[list[str], float]:
    """The date labels of the progress chart's axis and its right end (matplotlib's day number)."""
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    figures.draw_progress(ax, data)
    ax.figure.canvas.draw()
    return [t.get_text() for t in ax.get_xticklabels()], ax.get_xlim()[1]


def test_the_progress_chart_marks_each_round_and_none_after_the_as_of_date(data, store_url):
    from matplotlib.dates import date2num

    labels, right = _progress_ticks(data)
    assert labels == ["3月12日", "4月15日", "4月30日"]  # the rounds, as the page's chart: returns of 3月10日、11日、
    assert right <= date2num(DAY) + 2  # 12日、14日 printed their dates on top of each other
    store = Store(store_url)
    try:
        first = from_store(store, date(2014, 3, 10))  # one 填表时间 only: one tick, not years of 1月1日 7月1日
    finally:
        store.engine.dispose()
    assert _progress_ticks(first)[0] == ["3月10日"]


def test_the_progress_chart_before_any_return_says_so(store_url):
    from matplotlib.figure import Figure

    store = Store(store_url)
    try:
        nothing = from_store(store, date(2014, 3, 8))
    finally:
        store.engine.dispose()
    ax = Figure().add_subplot()
    figures.draw_progress(ax, nothing)
    assert not ax.axison and [t.get_text() for t in ax.texts] == [figures.NO_PROGRESS]  # no axis of 1970


def _bulletin_as_of(store_url, day, **filters) -> str:
    store = Store(store_url)
    try:
        return bulletin_text(bulletin_blocks(from_store(store, day, **filters)))
    finally:
        store.engine.dispose()


def test_the_bulletin_counts_units_behind_as_its_part_three_names_them(data):
    text = bulletin_text(bulletin_blocks(data))
    behind = behind_text(data.status, data.day, data.campaign)
    assert behind.startswith("第3次报送（2014年4月30日）尚未报送的有：万宝新区")  # named in part 三 ...
    assert "个），另有1个单位第3次报送（2014年4月30日）尚未报送。" in text  # ... and counted in part 一
    assert "首次按时" in text and "首次逾期" in text  # the words of 报送情况's tiles
    assert "从未报送0个" not in text  # none of a kind is no part of the sentence
    assert "尚未报送的，请立即报送。" in text  # the deadline is past
    ranked = {row[1]: row for row in ranking_rows(data)}
    assert ranked["万宝新区"][4] == "首次按时，第3次未报"  # its figures are an earlier round's, as 报送情况 says
    assert ranked["双峰县"][4] == "首次按时"


def test_the_bulletin_of_one_unit_speaks_of_it_not_of_units(store_url):
    alone = _bulletin_as_of(store_url, DAY, units=["万宝新区"])
    assert (
        "截至2014年4月30日，万宝新区已报送（首次按时），第3次报送（2014年4月30日）尚未报送。" in alone
    )  # not 另有1个单位
    assert "应报送单位1个" not in alone and "各单位共有" not in alone
    one = _bulletin_as_of(store_url, DAY, units=["双峰县"])
    assert "截至2014年4月30日，双峰县已报送（首次按时）。" in one


def test_a_bulletin_before_any_return_says_nothing_is_known_yet(store_url):
    text = _bulletin_as_of(store_url, date(2014, 3, 8))  # the deadline is 3月12日
    assert "全市尚无单位报送，暂无排查和整顿数据。" in text
    assert "无软弱涣散基层党组织。" not in text and "请立即报送" not in text
    assert "尚未报送的，请于2014年3月12日前按时报送。" in text


def test_a_bulletin_of_a_category_without_villages_says_no_share_of_nothing(store_url):
    text = _bulletin_as_of(store_url, DAY, categories=["国有企业"])
    assert "未报换届选举难点村。" in text and "难点村0个" not in text and "占——" not in text


def test_a_bulletin_of_the_deadlines_day_asks_for_the_return_that_day_and_of_one_unit_counts_no_units(store_url):
    text = _bulletin_as_of(store_url, date(2014, 3, 12))  # the deadline
    assert "尚未报送的，请于今日（2014年3月12日）内报送。" in text and "3月12日前" not in text
    assert (
        "本通报数据截至2014年3月12日（各单位以该日及之前" in text and "全部单位" not in text and "全部类别" not in text
    )
    one = _bulletin_as_of(store_url, DAY, units=["市教育局党委"])  # two rounds, no village
    assert "已报送单位1个" not in one and "难点村0个" not in one and "难点村中已完成换届的0个" not in one
    assert "填报单位：市教育局党委" in one  # a filter in force is said
    assert "二、进展情况" in one and "各单位进展排名" not in one and "排名。" not in one  # no ranking of one unit


def test_a_bulletin_of_one_category_ranks_the_units_that_report_it(store_url):
    store = Store(store_url)
    try:
        data = from_store(store, DAY, categories=["国有企业"])
    finally:
        store.engine.dispose()
    present = set(data.picture.summary["unit"]) | set(data.picture.weak_orgs["unit"])
    assert present and data.ranking["rank"].iloc[0] == 1
    assert set(data.ranking["unit"]) == present < set(data.picture.units)  # no unit of none of it, ranked last
    assert list(data.ranking["rank"]) == sorted(data.ranking["rank"])
    text = bulletin_text(bulletin_blocks(data))  # who reported is of the units, whatever their categories: said
    assert "应报送单位12个（报送情况按填报单位统计，不分党组织类别），已报送" in text
    assert "首次报送截止日期为2014年3月12日（报送情况按填报单位统计，不分党组织类别）。" in text
    assert "不分党组织类别" not in _bulletin_as_of(store_url, DAY)
    # its title says what it is of, as its file's name does (通报-2014-04-30-国有企业.docx)
    assert text.startswith("关于全市国有企业整顿软弱涣散基层党组织工作进展情况的通报")
    assert brief_title(data).startswith("全市国有企业")
    assert _bulletin_as_of(store_url, DAY).startswith("关于全市整顿软弱涣散基层党组织工作进展情况的通报")


def test_the_files_properties_name_no_library_in_english(data, docx_bytes):
    """文件属性 of the 通报, the brief and the city's return: the maker is this system, never python-docx, openpyxl or
    matplotlib (with its web address)."""
    from weakorg.export.city import city_workbook
    from weakorg.vocab import APP_TITLE

    doc = Document(io.BytesIO(docx_bytes))
    assert doc.core_properties.comments == "" and "python-docx" not in (doc.core_properties.comments or "")
    book = openpyxl.load_workbook(io.BytesIO(city_workbook(data.picture, data.campaign, data.day)))
    assert book.properties.creator == APP_TITLE
    info = PdfReader(io.BytesIO(brief_pdf(data))).metadata
    assert info.creator == APP_TITLE and info.producer == APP_TITLE


def test_briefs_drawn_at_once_by_a_servers_sessions_are_each_whole(data):
    """matplotlib's state is the process's: briefs drawn in threads at once (sessions of one server) came out in
    Type 3 fonts with every glyph overprinted. Each is now the brief drawn alone, its fonts embedded as CID."""
    from concurrent.futures import ThreadPoolExecutor

    alone = brief_pdf(data)
    assert b"/Type3" not in alone and b"/CIDFontType2" in alone
    with ThreadPoolExecutor(4) as pool:
        at_once = list(pool.map(lambda _: brief_pdf(data), range(4)))
    assert all(pdf == alone for pdf in at_once)


def test_the_bulletin_says_its_criteria_are_the_units_附件1_and_where_the_register_differs(store_url):
    from weakorg import counts

    store = Store(store_url)
    try:
        data = from_store(store, DAY)
    finally:
        store.engine.dispose()
    text = bulletin_text(bulletin_blocks(data))
    off = counts.criteria_apart(data.picture)
    assert len(off)  # the samples' 冷水江市 counts more under (6) than its register lists
    n, listed, reported = next(off[["criterion", counts.LISTED, counts.REPORTED]].itertuples(index=False))
    assert "以上符合各条标准的个数为各单位附件1汇总表的填报数；一览表所列与之不一致的有：" in text
    gap = f"第（{n}）条一览表列出{int(listed)}个、附件1填报{int(reported)}个"

    def asked(text: str) -> str:  # the gaps the units are asked to check
        return text.split("一览表所列与之不一致的有：")[1].split("，请相关单位核对")[0]

    assert gap in asked(text) and "系分析员研判更正所致" not in text
    # an analyst's correction that makes a criterion's counts differ is said as such, not asked of the units
    from dataclasses import replace

    import pandas as pd

    from weakorg.store.corrections import apply_corrections, org_keys

    by = counts.weak_by_criterion(data.picture)
    agreed = int(by.loc[by[counts.REPORTED] == by[counts.LISTED], "criterion"].iloc[0])
    orgs = data.picture.weak_orgs
    line = orgs[[agreed not in cs for cs in orgs["criteria"]]].iloc[:1]
    unit, name, digest = org_keys(line).iloc[0]
    now = [*line["criteria"].iloc[0], agreed]
    fix = pd.DataFrame([{"unit": unit, "name": name, "text_hash": digest, "criteria": now, "flags": []}])
    corrected = replace(data, picture=replace(data.picture, weak_orgs=apply_corrections(orgs, fix)))
    said = bulletin_text(bulletin_blocks(corrected))
    n_listed = int(by.loc[by["criterion"] == agreed, counts.LISTED].iloc[0])
    assert f"第（{agreed}）条一览表列出{n_listed + 1}个、附件1填报{n_listed}个，系分析员研判更正所致" in said
    assert gap in asked(said)  # the units' own gap is still asked of them
    one = _bulletin_as_of(store_url, DAY, units=["市教育局党委"])
    assert "以上符合各条标准的个数为各单位附件1汇总表的填报数，与一览表所列一致。" in one


def test_the_bulletins_share_leaves_out_a_table_whose_weak_exceed_all_and_says_so(data):
    from dataclasses import replace

    from weakorg.consolidate import filter_picture

    summary = data.picture.summary.copy()
    summary.loc[0, "weak_total"] = summary.loc[0, "orgs_total"] + 500  # typed 500 too many: WEAK_EXCEEDS_TOTAL
    wrong = filter_picture(replace(data.picture, summary=summary))  # the totals summed again
    text = bulletin_text(bulletin_blocks(replace(data, picture=wrong)))
    share = wrong.city["weak_share"]
    assert share < 10  # of the other tables: not a city's 51 %
    assert f"占{share:.2f}%（不含软弱涣散数多于所辖基层党组织数的附件1（1张，须由填报单位改正））" in text
    assert "不含软弱涣散数" not in bulletin_text(bulletin_blocks(data))
