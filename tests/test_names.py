"""What a name tells: the category of an organization, whether it is a village's."""

from __future__ import annotations

import pytest

from weakorg.names import category_from_name, is_village, looks_like_firm


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("娄星区杉山镇新塘村党支部", "农村"),
        ("乐坪街道春园社区党支部", "街道社区"),
        ("涟源市第二中学党支部", "学校"),
        ("双峰县荷叶镇中心小学党支部", "学校"),
        ("新化县洋溪镇卫生院党支部", "医疗卫生单位"),
        ("娄底市中心医院内科第一党支部", "医疗卫生单位"),
        ("新化县社区卫生服务中心党支部", "医疗卫生单位"),
        ("娄底市农业局机关党支部", "机关"),
        ("娄底市个体劳动者协会党支部", "社会组织"),
        ("某某党支部", None),
        (None, None),
    ],
)
def test_category_from_name(name, category):
    assert category_from_name(name) == category


def test_a_firm_is_the_kind_the_unit_files():
    name = "湖南宏达机械有限公司党支部"
    assert looks_like_firm(name) and looks_like_firm("娄底钢铁厂党委")
    assert category_from_name(name, {"农村", "国有企业"}) == "国有企业"
    assert category_from_name(name, {"非公有制经济组织"}) == "非公有制经济组织"
    assert category_from_name(name, {"国有企业", "非公有制经济组织"}) is None
    assert category_from_name(name, {"农村"}) is None


@pytest.mark.parametrize(
    ("name", "village"),
    [
        ("甲村党支部", True),
        ("新塘村党总支", True),
        ("乙村", True),
        ("新村社区党支部", False),
        ("农村信用社党支部", False),
    ],
)
def test_is_village(name, village):
    assert is_village(name) is village


def _labelled(name: str) -> list[dict]:
    import tomllib
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / name
    return tomllib.loads(path.read_text(encoding="utf-8"))["name"]


@pytest.mark.parametrize("fixture", ["names_labelled_a.toml", "names_labelled_b.toml"])
def test_a_name_never_gives_a_wrong_category_on_the_labelled_names(fixture):
    """Two lists written blind (bench/names.py measures them): a name read is read right; an undecided one is left to
    the register's own category cell or the unit's 附件1 tables."""
    names = _labelled(fixture)
    got = [(n["text"], n["category"], category_from_name(n["text"])) for n in names]
    assert [g for g in got if g[2] not in (None, g[1])] == []
    decided = sum(g[2] == g[1] for g in got)
    assert decided >= 0.85 * len(names)  # a: 139 of 150 (tuned on), b: 132 of 150 at first sight
    firms = [(t, c, category_from_name(t, [c])) for t, c, _ in got]
    assert sum(g[2] == g[1] for g in firms) >= 0.95 * len(names)  # a firm's kind from the unit's own tables
