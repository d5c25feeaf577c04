from datetime import date
from pathlib import Path

import pytest

from weakorg.campaign import default_campaign, load_campaign, normalize_text


@pytest.fixture(scope="module")
def campaign():
    return default_campaign()


def test_default_campaign_is_loudi_2014(campaign):
    assert campaign.city == "娄底市"
    assert campaign.deadline == date(2014, 3, 12)
    assert campaign.year == 2014
    assert len(campaign.units) == 12
    assert campaign.unit_names[:5] == ("娄星区", "冷水江市", "涟源市", "双峰县", "新化县")


@pytest.mark.parametrize(
    "written, canonical",
    [
        ("双峰县", "双峰县"),
        ("中共双峰县委组织部", "双峰县"),
        ("双峰县委组织部（盖章）", "双峰县"),
        ("双峰县委组织部(盖章)", "双峰县"),
        (" 双峰县 ", "双峰县"),
        ("经开区", "娄底经济技术开发区"),
        ("娄底经开区", "娄底经济技术开发区"),
        ("冷水江市委组织部（盖章）", "冷水江市"),
        ("中共新化县委组织部", "新化县"),
        ("市教育局", "市教育局党委"),
        ("市卫计委", "市卫生计生委党委"),
    ],
)
def test_aliases_map_to_canonical_units(campaign, written, canonical):
    assert campaign.canonical_unit(written) == canonical


@pytest.mark.parametrize("written", ["", None, "娄底市交通运输局", "长沙市"])
def test_unknown_names_are_not_mapped(campaign, written):
    assert campaign.canonical_unit(written) is None


def test_normalize_text_folds_width_and_spaces():
    assert normalize_text("１２ 个\n") == "12个"
    assert normalize_text("填报单位：") == "填报单位:"


def test_another_campaign_file_is_read(tmp_path):
    toml = tmp_path / "c.toml"
    toml.write_text(
        'name = "2015年某市整顿"\ncity = "某市"\nissuer = "中共某市委组织部"\ndocument = "某组通〔2015〕1号"\n'
        "issued_on = 2015-03-01\ndeadline = 2015-03-10\nrectification_end = 2015-05-31\n"
        '[[units]]\nname = "甲县"\nkind = "县市区"\naliases = ["甲"]\n',
        encoding="utf-8",
    )
    c = load_campaign(toml)
    assert c.year == 2015
    assert c.canonical_unit("中共甲县委组织部") == "甲县"
    assert c.canonical_unit("双峰县") is None
    assert c.addressees == "各填报单位"  # none named: the 通报 is addressed to every filing unit
    toml.write_text(toml.read_text(encoding="utf-8").replace("[[units]]", 'addressees = "各县委组织部："\n[[units]]'))
    assert load_campaign(toml).addressees == "各县委组织部"  # the colon is the 通报's


def test_weakorg_campaign_names_the_campaign_in_force(tmp_path, monkeypatch):
    from weakorg import campaign as module

    other = tmp_path / "other.toml"
    text = module.DEFAULT_CAMPAIGN.read_text(encoding="utf-8").replace('city = "娄底市"', 'city = "某某市"')
    other.write_text(text, encoding="utf-8")
    monkeypatch.setenv(module.CAMPAIGN_ENV, str(other))
    module.default_campaign.cache_clear()
    try:
        assert module.default_campaign().city == "某某市"
        monkeypatch.setenv(module.CAMPAIGN_ENV, str(tmp_path / "missing.toml"))
        module.default_campaign.cache_clear()
        with pytest.raises(FileNotFoundError, match="WEAKORG_CAMPAIGN 所指的整顿工作配置文件不存在"):
            module.default_campaign()
        from weakorg import cli

        assert cli.main(["check", str(other)]) == cli.EXIT_USAGE  # one Chinese line, not an internal error
    finally:
        monkeypatch.delenv(module.CAMPAIGN_ENV)
        module.default_campaign.cache_clear()
    assert module.default_campaign().city == "娄底市"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("this is [not toml\n", "不是有效的TOML格式（第1行第6列附近）"),
        ('name = "x"\n', "缺少“units”一项"),
        ('name = "x"\nunits = 3\n', "的内容不完整或有误"),
    ],
)
def test_a_campaign_file_that_cannot_be_used_is_said_in_chinese(tmp_path, capsys, text, said):
    from weakorg import cli
    from weakorg.campaign import CampaignInvalid

    bad = tmp_path / "campaign.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(CampaignInvalid, match=said):
        load_campaign(bad)
    sample = next((Path(__file__).parent.parent / "sample_data").glob("双峰县-第1次*"))
    assert cli.main(["check", str(sample), "--campaign", str(bad)]) == cli.EXIT_USAGE  # never 程序内部出错
    assert said in capsys.readouterr().err
    assert cli.main(["check", str(sample), "--campaign", str(tmp_path / "nope.toml")]) == cli.EXIT_USAGE
    assert "整顿工作配置文件不存在" in capsys.readouterr().err
