"""The units of the sample: what each files and how, and the constants of rounds, layouts and sectors."""

from __future__ import annotations

from dataclasses import dataclass, field

from weakorg.export.forms import CELLS, LINE
from weakorg.vocab import STATUSES

ROUNDS = (1, 2, 3)
NOT_DONE = "未完成"
CORRECTION = "更正"
UNKNOWN_UNIT = "娄底市交通运输局"
UNKNOWN_CATEGORY = "其它"
NOT_STARTED, IN_PROGRESS, TURNED, ACCEPTED = STATUSES

# File layouts: one workbook per round; one file per form; one file per F1 category (plus F2, F3 files).
WORKBOOK, FORMS, PER_CATEGORY = "workbook", "forms", "per_category"
VILLAGE, COMMUNITY, INSTITUTION, FIRM = "village", "community", "institution", "firm"

_COUNTY_CATS = ("农村", "街道社区", "学校", "医疗卫生单位", "机关")


@dataclass(frozen=True)
class UnitSpec:
    name: str
    prefix: str  # how the unit's organizations' names begin
    sizes: dict[str, tuple[int, int]]  # category -> range of 所辖基层党组织
    header_unit: str = ""  # the unit as its clerk writes it in the header line
    written: dict[str, str] = field(default_factory=dict)  # category -> as the clerk writes it
    layout: str = FORMS
    header: str = LINE
    stack_f1: bool = False  # F1 tables stacked in one sheet
    sheet_style: int = 0  # 0: 附件1-农村, 1: 汇总表（农村）
    towns: tuple[str, ...] = ()
    streets: tuple[str, ...] = ()
    area: str = "8"  # first digit of the unit's landlines (0738-8xxxxxx)
    f3_villages: tuple[int, int] = (0, 0)
    sends_f3: bool = False
    skips: tuple[int, ...] = ()  # rounds the unit does not send


UNITS = (
    UnitSpec(
        "娄星区", "娄星区",
        {"农村": (300, 360), "街道社区": (45, 70), "学校": (60, 90), "医疗卫生单位": (20, 35), "机关": (90, 130),
         "非公有制经济组织": (40, 80)},
        written={"街道社区": "社区"}, layout=FORMS, stack_f1=True,
        towns=("杉山镇", "茶园镇", "蛇形山镇", "石井乡", "双江乡", "小碧乡"),
        streets=("乐坪街道", "花山街道", "大科街道", "长青街道", "黄泥塘街道", "涟滨街道"),
        area="8", f3_villages=(2, 5), sends_f3=True,
    ),
    UnitSpec(
        "冷水江市", "冷水江市",
        {"农村": (300, 380), "街道社区": (40, 60), "学校": (50, 80), "医疗卫生单位": (20, 30), "机关": (80, 120),
         "非公有制经济组织": (30, 60)},
        header_unit="冷水江市委组织部（盖章）", layout=FORMS, sheet_style=1,
        towns=("铎山镇", "禾青镇", "渣渡镇", "中连乡", "三尖镇", "岩口镇", "金竹山镇"),
        streets=("冷水江街道", "锡矿山街道", "沙塘湾街道", "布溪街道"),
        area="5", f3_villages=(2, 6), sends_f3=True,
    ),
    UnitSpec(
        "涟源市", "涟源市",
        {"农村": (650, 780), "街道社区": (30, 50), "学校": (100, 160), "医疗卫生单位": (30, 50), "机关": (100, 150)},
        layout=WORKBOOK, header=CELLS, sheet_style=0,
        towns=("六亩塘镇", "斗笠山镇", "桥头河镇", "七星街镇", "湄江镇", "伏口镇", "杨市镇", "荷塘镇", "龙塘镇",
               "石马山镇", "白马镇", "金石镇", "三甲乡"),
        streets=("蓝田街道",), area="4", f3_villages=(3, 8), sends_f3=True,
    ),
    UnitSpec(
        "双峰县", "双峰县",
        {"农村": (550, 650), "街道社区": (20, 35), "学校": (90, 140), "医疗卫生单位": (25, 40), "机关": (90, 130),
         "非公有制经济组织": (40, 70)},
        header_unit="中共双峰县委组织部", layout=WORKBOOK, sheet_style=1,
        towns=("永丰镇", "荷叶镇", "井字镇", "梓门桥镇", "杏子铺镇", "走马街镇", "洪山殿镇", "青树坪镇", "三塘铺镇",
               "花门镇", "锁石镇", "甘棠镇", "石牛乡", "沙塘乡", "印塘乡"),
        streets=("永丰镇",), area="6", f3_villages=(3, 7), sends_f3=True,
    ),
    UnitSpec(
        "新化县", "新化县",
        {"农村": (750, 800), "街道社区": (30, 50), "学校": (150, 200), "医疗卫生单位": (40, 60), "机关": (110, 160)},
        layout=PER_CATEGORY,
        towns=("洋溪镇", "槎溪镇", "温塘镇", "孟公镇", "琅塘镇", "吉庆镇", "游家镇", "圳上镇", "水车镇", "奉家镇",
               "白溪镇", "炉观镇", "西河镇", "桑梓镇", "维山乡", "金凤乡"),
        streets=("上梅镇",), area="3", f3_villages=(4, 8), sends_f3=True,
    ),
    UnitSpec(
        "娄底经济技术开发区", "娄底经济技术开发区",
        {"非公有制经济组织": (60, 100), "街道社区": (15, 25), "农村": (20, 35)},
        header_unit="经开区", written={"非公有制经济组织": "非公企业"}, layout=FORMS, sheet_style=1,
        towns=("湘阳街道",), streets=("湘阳街道", "大埠桥街道"), area="8", f3_villages=(1, 1), sends_f3=True,
    ),
    UnitSpec(
        "万宝新区", "娄底市万宝新区",
        {"非公有制经济组织": (25, 45), "街道社区": (13, 20), "农村": (25, 40)},
        layout=WORKBOOK, towns=("万宝镇",), streets=("万宝镇",), area="8", sends_f3=True, skips=(3,),
    ),
    UnitSpec(
        "市直机关工委", "娄底市", {"机关": (140, 180), "其他事业单位": (60, 90)},
        header_unit="中共娄底市直机关工作委员会", layout=WORKBOOK,
    ),
    UnitSpec(
        "市两新工委", "娄底市", {"非公有制经济组织": (150, 220), "社会组织": (30, 45)},
        written={"非公有制经济组织": "非公企业"}, layout=FORMS,
    ),
    UnitSpec("市国资委党委", "娄底市", {"国有企业": (50, 80)}, header_unit="市国资委", layout=WORKBOOK),
    UnitSpec("市教育局党委", "娄底市", {"学校": (40, 60)}, layout=WORKBOOK, sheet_style=1),
    UnitSpec("市卫生计生委党委", "娄底市", {"医疗卫生单位": (25, 40)}, header_unit="市卫计委", layout=WORKBOOK,
             skips=(2,)),
)  # fmt: skip
UNIT_SPECS = {u.name: u for u in UNITS}


def _sector(category: str) -> str:
    """The sector whose wording the problems of a category take."""
    if category == "农村":
        return VILLAGE
    if category == "街道社区":
        return COMMUNITY
    if category in ("非公有制经济组织", "社会组织"):
        return FIRM
    return INSTITUTION
