"""Realistic sample returns for the default campaign: every unit, three rounds, a few planted mistakes.

``plan(seed)`` decides everything (deterministic for a seed); ``write_samples(out_dir)`` lays the
plan out as .xlsx files in the official layout, varying the file layout from unit to unit the way
real returns do. ``SamplePlan.expected_totals()`` gives the consolidated figures the files must
yield: the latest return per unit, category and form, canonical units and categories only.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from weakorg.campaign import default_campaign
from weakorg.export.forms import (
    CELLS,
    LINE,
    add_sheet,
    f1_percents,
    new_workbook,
    workbook_bytes,
    write_f1,
    write_f2,
    write_f3,
)
from weakorg.vocab import (
    CATEGORIES,
    CATEGORY_ALIASES,
    F1_COUNT_KEYS,
    F1_CRITERIA_KEYS,
    FORM_ATTACHMENTS,
    FORM_SHORT,
    STATUSES,
)

ROUNDS = (1, 2, 3)
NOT_DONE = "未完成"
CORRECTION = "更正"
UNKNOWN_UNIT = "娄底市交通运输局"
UNKNOWN_CATEGORY = "其它"
NOT_STARTED, IN_PROGRESS, TURNED, ACCEPTED = STATUSES

# File layouts: one workbook per round; one file per form; one file per F1 category (plus F2, F3 files).
WORKBOOK, FORMS, PER_CATEGORY = "workbook", "forms", "per_category"
VILLAGE, COMMUNITY, INSTITUTION, FIRM = "village", "community", "institution", "firm"

# ---------------------------------------------------------------------------
# The units: what each files and how
# ---------------------------------------------------------------------------
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

# ---------------------------------------------------------------------------
# Name pools
# ---------------------------------------------------------------------------
_VILLAGE_A = "新青石大金龙白黄枫杉桃荷梅竹高长双田柳栗茶桐松杨马凤鹤花乌"
_VILLAGE_B = (
    "塘",
    "山",
    "桥",
    "冲",
    "坪",
    "湾",
    "溪",
    "田",
    "坡",
    "岭",
    "江",
    "口",
    "铺",
    "林",
    "源",
    "泉",
    "洲",
    "湖",
)
_COMMUNITIES = ("春园", "花山", "育才", "建设", "人民", "东方", "长青", "向阳", "光明", "和谐", "新星", "月塘", "幸福",
                "翠园", "杏园", "城南", "城北", "文昌", "新桥", "石狮", "珠山", "百亩", "栗山", "桂花")  # fmt: skip
_NUMERALS = "一二三四五六七八九"
_BUREAUS = ("农业局", "林业局", "水务局", "畜牧水产局", "统计局", "档案局", "粮食局", "商务局", "文体广电新闻出版局",
            "民政局", "司法局", "科技局", "环保局", "供销合作社", "扶贫开发办公室", "移民开发局", "地方志办公室",
            "机关事务管理局", "人力资源和社会保障局", "国土资源局", "食品药品监督管理局", "审计局", "财政局",
            "安全生产监督管理局", "农机局", "住房和城乡建设局", "旅游局", "工商联")  # fmt: skip
_INSTITUTIONS = ("图书馆", "博物馆", "群众艺术馆", "园林管理处", "环境卫生管理处", "房产测绘队", "社会福利院",
                 "农业科学研究所", "林业科学研究所", "水文水资源勘测局", "档案馆", "广播电视大学", "科技情报研究所",
                 "殡葬管理所", "城市规划设计院", "救助管理站", "公路管理处", "公共资源交易中心")  # fmt: skip
_SOES = ("公共交通有限公司", "自来水有限责任公司", "城市建设投资集团有限公司", "粮油贸易有限公司", "物资总公司",
         "百货大楼有限公司", "五金交电化工公司", "燃气有限公司", "国有资产经营有限公司", "旅游开发有限公司",
         "汽车运输总公司", "医药有限公司", "农业生产资料公司", "食品公司", "建筑设计院有限公司",
         "民爆器材有限公司")  # fmt: skip
_FIRM_BRANDS = ("宏达", "金鑫", "兴旺", "华鑫", "鑫源", "三联", "恒达", "永固", "天成", "昌盛", "湘中", "利民", "众诚",
                "新宇", "远航", "嘉禾", "顺发", "泰丰", "瑞祥", "博远", "中盛", "华联", "金汇", "铭扬")  # fmt: skip
_FIRM_TRADES = ("机械", "建材", "陶瓷", "纺织", "物流", "农业开发", "食品", "电子", "矿业", "汽车零部件", "农机制造",
                "钢材加工", "包装", "新材料", "建筑工程", "房地产开发")  # fmt: skip
_ASSOCIATIONS = ("个体劳动者协会", "私营企业协会", "物流行业协会", "建筑业协会", "餐饮行业协会", "民办教育协会",
                 "律师协会", "注册会计师协会", "摄影家协会", "书法家协会", "老年人体育协会", "慈善总会",
                 "汽车运输行业协会", "房地产业协会", "温州商会", "邵阳商会", "浙江商会", "义工联合会")  # fmt: skip
_CITY_HEALTH = ("中心医院内科第{n}党支部", "中心医院外科第{n}党支部", "妇幼保健院党支部", "疾病预防控制中心党支部",
                "第二人民医院后勤党支部", "中医医院门诊党支部", "精神病医院党支部", "中心血站党支部",
                "卫生监督所党支部", "急救中心党支部", "第一人民医院离退休党支部")  # fmt: skip
_CITY_SCHOOLS = ("第{n}中学党支部", "育才小学党支部", "春园小学党支部", "涟滨小学党支部", "第一实验小学党支部",
                 "第二实验小学党支部", "新星学校党支部", "职业中专学校党支部", "特殊教育学校党支部",
                 "幼儿师范学校党支部")  # fmt: skip
_OTHER_ORGS = ("市总工会离退休党支部", "市妇联机关党支部", "市残联党支部", "市文联党支部", "市科协党支部")

_SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "曾", "彭", "谭", "邓", "肖", "唐", "贺", "龚",
             "颜", "梁", "邹", "袁", "廖", "段", "易", "向", "罗", "胡", "朱", "欧阳", "康", "戴",
             "匡", "聂")  # fmt: skip
_GIVEN = ("建国", "志强", "国华", "春生", "卫东", "红军", "德明", "秋林", "海波", "小平", "玉梅", "桂英", "立新", "伟",
          "勇", "军", "杰", "斌", "华", "明", "芳", "丽霞", "跃进", "新华", "桂华", "光辉", "长青", "永红", "建华",
          "正清", "石林", "满元", "冬生", "再兴", "湘平", "友良", "铁山", "春花", "育民", "少华")  # fmt: skip
_MOBILE_PREFIXES = ("139", "138", "137", "135", "134", "136", "150", "151", "152", "158", "159", "182", "187", "188",
                    "133", "153", "180", "189")  # fmt: skip

# ---------------------------------------------------------------------------
# 主要问题: sentences that state one criterion (or several), by sector. (text, says the post is vacant)
# ---------------------------------------------------------------------------
_HEADS = {"学校": "校长", "医疗卫生单位": "院长", "机关": "单位主要负责人", "国有企业": "总经理",
          "其他事业单位": "单位负责人", "非公有制经济组织": "企业老板", "社会组织": "会长"}  # fmt: skip

_SENTENCES: dict[str, dict[int, list[tuple[str, bool]]]] = {
    VILLAGE: {
        1: [("支部书记常年在外经商，村里的事无人主持，支部工作基本停滞。", False),
            ("书记外出务工已{k}年，支部工作处于停摆状态。", False),
            ("村支两委班子配备不齐，支委缺额{n}人，一直未补选。", False),
            ("书记长期住院治疗，村务无人主持。", False),
            ("原书记{y2}年辞职后，书记一职一直空缺，由乡镇驻村干部临时代管。", True),
            ("书记职位空缺{m}个月，人选至今未落实。", True)],
        2: [("支部书记忙于自家砂石生意，对村里工作应付了事，不在状态。", False),
            ("书记年近七旬，身体差、思路旧，带领群众发展的能力明显不足，班子缺乏战斗力。", False),
            ("书记工作消极，遇事推诿，村里几项重点工作都推不动。", False),
            ("书记文化程度低，工作缺乏思路和办法，难以带动班子。", False)],
        3: [("村支两委班子不团结，书记与村主任各自为政，互相拆台。", False),
            ("支委之间矛盾较深，内耗严重，村里大事议而不决。", False),
            ("书记与村主任因修路选址闹矛盾，两委会议多次开不起来。", False)],
        4: [("{y}年换届后一直未换届。", False),
            ("支部已{k}年未按期换届，班子成员任期早已届满。", False),
            ("上届支委任期届满{k2}年多，换届工作迟迟未启动。", False)],
        5: [("三会一课长期不落实，党员大会一年开不了一次。", False),
            ("组织生活基本不开展，各项制度只挂在墙上。", False),
            ("近两年没有上过一次党课，党小组会从未召开。", False),
            ("党员活动室长期锁门，支部活动基本没有开展。", False)],
        6: [("村干部服务意识差，群众办事找不到人，意见很大。", False),
            ("群众对支部工作满意率仅{pct}%，反映村干部办事不公。", False),
            ("为民办事效率低，村民怨声载道。", False),
            ("民主测评中党员群众满意率只有{pct}%，群众普遍不满意。", False)],
    },
    COMMUNITY: {
        1: [("社区书记长期借调到街道工作，社区党组织工作停滞。", False),
            ("社区党支部书记空缺，由街道干部临时代理。", True),
            ("支委配备不齐，缺额{n}人，工作无人负责。", False)],
        2: [("书记年龄偏大、精力不济，对社区新情况应对乏力，班子整体战斗力不强。", False),
            ("书记兼职过多，对社区党建工作不在状态。", False),
            ("书记缺乏群众工作经验，难以胜任现职。", False)],
        3: [("书记与居委会主任不和，工作相互推诿，社区工作难以正常开展。", False),
            ("社区班子成员之间内耗严重，遇事互相扯皮。", False)],
        4: [("{y}年以来一直未进行换届。", False), ("社区党支部已{k}年未换届。", False)],
        5: [("社区党员组织生活不正常，三会一课流于形式。", False),
            ("多数党员一年没参加过一次组织活动，支部活动基本停了。", False)],
        6: [("服务居民意识淡薄，居民办事难，对社区意见较大。", False),
            ("居民满意率测评仅{pct}%。", False),
            ("窗口服务态度生硬，居民投诉较多。", False)],
    },
    INSTITUTION: {
        1: [("支部书记调离后一直未配备，支部工作处于停滞状态。", True),
            ("支委缺额{n}人，班子配备不齐。", False),
            ("书记长期病休，支部工作无人主持。", False),
            ("书记长期借调在外，支部工作停摆。", False)],
        2: [("书记由{head}兼任，忙于业务工作，对党建工作不上心，不在状态。", False),
            ("书记能力偏弱，难以胜任现职，班子凝聚力不强。", False),
            ("书记临近退休，工作消极应付，影响班子整体战斗力。", False)],
        3: [("书记与{head}关系紧张，相互拆台，工作不能正常开展。", False),
            ("班子成员之间内耗严重，工作推不动。", False)],
        4: [("支部自{y}年选举后一直未换届。", False), ("已{k}年未换届。", False)],
        5: [("组织生活制度形同虚设，三会一课基本不开展。", False),
            ("很少开展党组织活动，政治学习流于形式。", False),
            ("支委会和党课长期不开，党员大会一年只开一次。", False)],
        6: [("服务意识不强，群众反映办事难。", False),
            ("服务态度差，投诉较多，党员群众满意率只有{pct}%。", False)],
    },
    FIRM: {
        1: [("党支部书记离职后一直空缺。", True),
            ("企业党员流动性大，支委缺额{n}人，支部工作基本停滞。", False)],
        2: [("书记由企业管理人员兼任，忙于生产经营，党建工作不在状态。", False),
            ("书记对党建工作缺乏热情，工作能力不足，难以胜任。", False)],
        3: [("书记与{head}意见不合，相互拆台，支部工作无法正常开展。", False)],
        4: [("支部{y}年成立以来一直未换届。", False)],
        5: [("党支部活动基本不开展，党员组织生活长期不正常。", False),
            ("三会一课制度没有落实，有台账没活动。", False)],
        6: [("支部在职工中威信不高，职工对支部工作满意率仅{pct}%。", False),
            ("服务职工意识不强，职工意见较大。", False)],
    },
}  # fmt: skip

# Sentences stating several criteria at once: (sector, criteria) -> [(text, vacant)].
_COMPOSITES: dict[tuple[str, tuple[int, ...]], list[tuple[str, bool]]] = {
    (VILLAGE, (1, 5)): [("支部书记常年在外经商，村务无人主持，三会一课长期不落实。", False)],
    (VILLAGE, (3, 6)): [("村支两委班子不团结，书记与村主任各自为政，群众意见很大。", False)],
    (VILLAGE, (1, 4)): [("{y}年换届后一直未换届，支委缺额{n}人。", False)],
    (VILLAGE, (2, 6)): [("书记心思全放在自己的养殖场上，对村里工作不闻不问，群众很有意见。", False)],
    (VILLAGE, (3, 5)): [("两委班子闹矛盾，支部会开不起来，党员活动也停了。", False)],
    (VILLAGE, (1, 4, 5)): [("书记一职空缺，支部已{k}年未换届，组织生活无人组织。", True)],
    (COMMUNITY, (3, 6)): [("书记和居委会主任各唱各的调，居民办事两头跑，怨声载道。", False)],
    (COMMUNITY, (1, 5)): [("书记长期请病假，社区党支部工作无人主持，组织生活停了一年多。", False)],
    (INSTITUTION, (2, 5)): [("书记由{head}兼任，一门心思抓业务，支部活动基本没有开展。", False)],
    (INSTITUTION, (5, 6)): [("组织生活不正常，服务群众意识差，群众意见较大。", False)],
    (FIRM, (1, 5)): [("企业转产后党支部书记一直空缺，支部活动全面停止。", True)],
}

# Real problems that are none of the six criteria.
_FILLERS = {
    VILLAGE: ("村集体经济薄弱，年收入不足{inc}万元。", "党员老龄化严重，60岁以上党员占{old}%。",
              "近{k}年未发展新党员。", "村部年久失修，无固定活动场所。"),
    COMMUNITY: ("社区办公用房面积小，活动场所不足。", "流动党员多，管理难度大。"),
    INSTITUTION: ("党建资料台账不规范。", "近{k}年未发展新党员。", "党员年龄结构老化。"),
    FIRM: ("企业生产经营困难，效益下滑。", "党员流动性大，发展党员难。", "党建资料台账不全。"),
}  # fmt: skip
# Problems said to be solved: they state no criterion. (text, criterion it must not be paired with)
_SOLVED = (("班子于2011年完成换届。", 4), ("原支委缺额问题已于去年解决。", 1))
# The four key-rectification flags as villages and communities describe them.
_FLAG_SENTENCES = {
    VILLAGE: {
        "vote_buying": "上届村委会选举中有人拉票。",
        "interference": "村内宗族势力较强，影响村务决策。",
        "affairs_disorder": "村级财务白条入账多，账目长期不公开。",
        "petitions": "因征地补偿问题，群众多次集体上访。",
    },
    COMMUNITY: {
        "vote_buying": "上届居委会选举中有拉票现象。",
        "affairs_disorder": "居务财务公开不及时。",
        "petitions": "因拆迁安置问题，居民多次上访。",
    },
}
_CRITERION_WEIGHTS = {1: 25, 2: 12, 3: 12, 4: 14, 5: 22, 6: 15}

# 附件3: why the re-election is hard and what is done about it.
_F3_PROBLEMS = ("宗族派性严重，两大姓氏争夺村干部职位，换届选举难以组织。",
                "上届选举出现拉票贿选苗头，群众对选举公正性疑虑较大。",
                "村民外出务工人员多，选民登记和参选率难以保证。",
                "书记长期空缺，村里找不到合适的书记人选。",
                "班子不团结，两派群众对立情绪大，选举容易引发矛盾。",
                "征地拆迁遗留问题多，群众上访不断，换届前矛盾集中。",
                "合村后两个原村的干部群众互不认同，班子人选难以平衡。",
                "村账目多年未清理，群众要求先清账后选举。")  # fmt: skip
_F3_VACANT = _F3_PROBLEMS[3]
_F3_MEASURES = ("县级领导联点，乡镇党委书记包村，提前摸底排查矛盾。",
                "选派第一书记驻村，先整顿后换届，严格依法依规组织选举。",
                "公安、纪检提前介入，对拉票贿选行为零容忍，公开举报电话。",
                "从本村致富能手和退伍军人中物色书记人选，做好思想工作。",
                "对遗留问题逐户走访化解，账目公开后再组织选举。",
                "乡镇派出工作组蹲点指导，分片包干做好选民登记。")  # fmt: skip


# ---------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------
@dataclass
class WeakOrg:
    """A weak organization of a unit as the sample has it, with its status in every round."""

    unit: str
    name: str
    category: str
    members: int
    problems: str
    criteria: tuple[int, ...]
    flags: tuple[str, ...]
    secretary: str | None
    phone: str | None
    statuses: dict[int, str]
    accepted_on: date | None = None
    found_round: int = 1


@dataclass
class UnitReturn:
    """What one unit sent in one round: F1 tables, F2 and F3 rows as written, and how it laid them out."""

    unit: str  # canonical unit (the unknown unit's own name for the planted stranger)
    round: int
    reported_on: date
    header_unit: str  # the unit as written in the header line
    f1: dict[str, dict[str, int]]  # category as written -> counts as written
    f1_percents: dict[str, dict[str, float]]  # category -> percentage cells written off the computed value
    f2: list[dict] | None  # rows keyed by F2 fields; None when the form was not sent
    f3: list[dict] | None
    layout: str = FORMS
    header: str = LINE
    f2_extra: bool = True  # F2 with weakorg's optional columns at the right
    note: str = ""  # CORRECTION for a re-sent register


@dataclass
class SamplePlan:
    """Everything the sample returns hold, round by round, and the mistakes planted in them."""

    seed: int
    returns: list[UnitReturn]  # in upload order: by round, unit; a correction after its original
    orgs: dict[str, list[WeakOrg]]  # unit -> its weak organizations
    planted: list[tuple[str, str]]  # (rule code, unit) of each deliberate mistake
    side_effects: list[tuple[str, str]]  # (rule code, unit) the planted mistakes trigger as well

    @property
    def rounds(self) -> dict[int, dict[str, UnitReturn]]:
        """Round -> unit -> the unit's return of that round (corrections left aside: see ``corrections``)."""
        out: dict[int, dict[str, UnitReturn]] = {r: {} for r in ROUNDS}
        for ret in self.returns:
            if ret.note != CORRECTION:
                out[ret.round][ret.unit] = ret
        return out

    @property
    def corrections(self) -> list[UnitReturn]:
        """Registers re-sent with the same date (their later upload stands)."""
        return [ret for ret in self.returns if ret.note == CORRECTION]

    def to_json(self) -> str:
        """The whole plan as JSON (dates as ISO text): what determinism is checked on."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, default=str)

    def expected_totals(self) -> dict:
        """The consolidated figures of the current picture: latest return per unit, category and form."""
        units = set(default_campaign().unit_names)
        f1: dict[tuple[str, str], dict] = {}
        f2: dict[str, list[dict]] = {}
        f3: dict[str, list[dict]] = {}
        for ret in self.returns:
            if ret.unit not in units:
                continue
            for written, counts in ret.f1.items():
                category = canonical_category(written)
                if category:
                    f1[(ret.unit, category)] = counts
            if ret.f2 is not None:
                f2[ret.unit] = ret.f2
            if ret.f3 is not None:
                f3[ret.unit] = ret.f3

        def add(into: dict, counts: dict) -> None:
            for key in F1_COUNT_KEYS:
                into[key] = into.get(key, 0) + counts[key]

        city: dict = {}
        by_category: dict[str, dict] = {}
        by_unit: dict[str, dict] = {}
        for (unit, category), counts in f1.items():
            add(city, counts)
            add(by_category.setdefault(category, {}), counts)
            add(by_unit.setdefault(unit, {}), counts)
        f2_rows = [r for unit in f2 for r in f2[unit] if r.get("name")]
        f3_rows = [r for unit in f3 for r in f3[unit] if r.get("name")]
        return {
            "city": city,
            "by_category": {c: by_category[c] for c in CATEGORIES if c in by_category},
            "by_unit": {u: by_unit[u] for u in default_campaign().unit_names if u in by_unit},
            "f2_rows": len(f2_rows),
            "f2_rows_by_unit": {u: sum(1 for r in rows if r.get("name")) for u, rows in f2.items()},
            "f2_orgs": sum(len({r["name"] for r in rows if r.get("name")}) for rows in f2.values()),
            "statuses": dict(Counter(r.get("status") for r in f2_rows)),
            "f3_villages": len(f3_rows),
            "f3_elections_done": sum(1 for r in f3_rows if isinstance(r.get("election_done"), date)),
        }


def canonical_category(text: str) -> str | None:
    """The canonical category a written one stands for, or None."""
    if text in CATEGORIES:
        return text
    return CATEGORY_ALIASES.get(text)


def _sector(category: str) -> str:
    if category == "农村":
        return VILLAGE
    if category == "街道社区":
        return COMMUNITY
    if category in ("非公有制经济组织", "社会组织"):
        return FIRM
    return INSTITUTION


class _Builder:
    """Draws one plan from a seeded random generator."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.names: set[str] = set()

    # -- small draws -------------------------------------------------------
    def person(self) -> str:
        return self.rng.choice(_SURNAMES) + self.rng.choice(_GIVEN)

    def phone(self, area: str) -> str:
        rng = self.rng
        if rng.random() < 0.15:
            return f"0738-{area}{rng.randint(0, 999999):06d}"
        number = rng.choice(_MOBILE_PREFIXES) + f"{rng.randint(0, 99999999):08d}"
        if rng.random() < 0.05:
            return f"{number[:3]} {number[3:7]} {number[7:]}"
        return number

    def _unique(self, make) -> str:
        for _ in range(500):
            name = make()
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError("name pool exhausted")

    def org_name(self, spec: UnitSpec, category: str, kind: str) -> str:
        """A realistic, unique name of an organization of ``category`` in the unit."""
        rng, p = self.rng, spec.prefix
        city = p == "娄底市"

        def make() -> str:
            if category == "农村":
                village = rng.choice(_VILLAGE_A) + rng.choice(_VILLAGE_B)
                return f"{p}{rng.choice(spec.towns)}{village}村党支部"
            if category == "街道社区":
                return f"{p}{rng.choice(spec.streets)}{rng.choice(_COMMUNITIES)}社区党支部"
            if category == "学校":
                if city:
                    return "娄底市" + rng.choice(_CITY_SCHOOLS).format(n=rng.choice(_NUMERALS))
                town = rng.choice(spec.towns).removesuffix("镇").removesuffix("乡")
                return rng.choice(
                    (f"{p}{town}中学党支部", f"{p}{town}中心学校党支部", f"{p}第{rng.choice(_NUMERALS)}中学党支部",
                     f"{p}{rng.choice(spec.towns)}中心小学党支部", f"{p}职业中专学校党支部", f"{p}实验小学党支部")
                )  # fmt: skip
            if category == "医疗卫生单位":
                if city:
                    return "娄底市" + rng.choice(_CITY_HEALTH).format(n=rng.choice(_NUMERALS[:4]))
                town = rng.choice(spec.towns)
                return rng.choice(
                    (f"{p}{town}卫生院党支部", f"{p}{town}中心卫生院党支部", f"{p}中医医院党支部",
                     f"{p}妇幼保健院党支部", f"{p}疾病预防控制中心党支部", f"{p}人民医院后勤党支部")
                )  # fmt: skip
            if category == "机关":
                return f"{p}{rng.choice(_BUREAUS)}机关党支部"
            if category == "其他事业单位":
                return f"{p}{rng.choice(_INSTITUTIONS)}党支部"
            if category == "国有企业":
                return f"{p}{rng.choice(_SOES)}党支部"
            if category == "非公有制经济组织":
                where = "湖南" if city and rng.random() < 0.5 else p
                return f"{where}{rng.choice(_FIRM_BRANDS)}{rng.choice(_FIRM_TRADES)}有限公司党支部"
            if category == "社会组织":
                return f"{p}{rng.choice(_ASSOCIATIONS)}党支部"
            return "娄底" + rng.choice(_OTHER_ORGS)

        name = self._unique(make)
        if kind == "党总支":
            self.names.discard(name)
            name = self._unique(lambda: name.removesuffix("党支部") + "党总支")
        return name

    def problems(self, sector: str, category: str, criteria: tuple[int, ...]) -> tuple[str, tuple[str, ...], bool]:
        """A 主要问题 text stating exactly ``criteria``; its flags; whether it says the post is vacant."""
        rng = self.rng
        params = {
            "n": rng.randint(1, 3), "k": rng.randint(4, 7), "k2": rng.randint(1, 3), "m": rng.randint(6, 20),
            "y": rng.randint(2005, 2009), "y2": rng.randint(2011, 2013), "pct": rng.randint(32, 58),
            "inc": rng.randint(1, 3), "old": rng.randint(45, 70), "head": _HEADS.get(category, ""),
        }  # fmt: skip
        pieces: list[tuple[str, bool]] = []
        composite = _COMPOSITES.get((sector, criteria))
        if composite and rng.random() < 0.5:
            pieces.append(rng.choice(composite))
        else:
            for c in rng.sample(list(criteria), len(criteria)):
                pieces.append(rng.choice(_SENTENCES[sector][c]))
        flags: tuple[str, ...] = ()
        flag_pool = _FLAG_SENTENCES.get(sector, {})
        if flag_pool and len(pieces) < 3 and rng.random() < (0.25 if sector == VILLAGE else 0.1):
            flag = rng.choice(list(flag_pool))
            flags = (flag,)
            pieces.append((flag_pool[flag], False))
        if len(pieces) < 3 and rng.random() < 0.35:
            solved = [t for t, c in _SOLVED if c not in criteria] if sector in (VILLAGE, COMMUNITY) else []
            pool = list(_FILLERS[sector]) + solved
            pieces.append((rng.choice(pool), False))
        vacant = any(v for _, v in pieces)
        sentences = [t.format(**params) for t, _ in pieces]
        if rng.random() < 0.03:
            sentences = [s.replace("三会一课", "三会一颗") for s in sentences]
        return _join(sentences, rng), flags, vacant

    def criteria(self) -> tuple[int, ...]:
        rng = self.rng
        k = rng.choices((1, 2, 3), weights=(35, 50, 15))[0]
        while True:
            picked: list[int] = []
            while len(picked) < k:
                c = rng.choices(list(_CRITERION_WEIGHTS), weights=list(_CRITERION_WEIGHTS.values()))[0]
                if c not in picked:
                    picked.append(c)
            if not {1, 2} <= set(picked):
                return tuple(sorted(picked))

    def statuses(self, found_round: int) -> tuple[dict[int, str], bool]:
        """Status per round from the round the organization was found; whether it ends accepted."""
        rng = self.rng
        out: dict[int, str] = {}
        current = 0
        for r in ROUNDS:
            if r < found_round:
                continue
            if r == found_round:
                target = 0 if (r == 1 and rng.random() < 0.4) else 1
            elif r == 2:
                target = 2 if rng.random() < 0.2 else 1
            else:
                x = rng.random()
                target = 1 if x < 0.1 else (2 if x < 0.45 else 3)
            current = max(current, target)
            out[r] = STATUSES[current]
        return out, current == 3


def _join(sentences: list[str], rng: random.Random) -> str:
    """Sentences joined the way clerks number them (or do not)."""
    if len(sentences) < 2:
        return "".join(sentences)
    style = rng.random()
    if style < 0.6:
        return "".join(sentences)
    if style < 0.8:
        return "".join(f"{i}.{s}" for i, s in enumerate(sentences, 1))
    marks = "一二三"
    return "；".join(f"{marks[i]}是{s.rstrip('。')}" for i, s in enumerate(sentences)) + "。"


def _kinds(rng: random.Random, category: str, total: int) -> tuple[int, int, int]:
    committees = {
        "农村": (0, 2), "街道社区": (1, 4), "学校": (1, 4), "医疗卫生单位": (1, 3), "机关": (3, 10),
        "国有企业": (4, 8), "其他事业单位": (1, 4), "非公有制经济组织": (0, 2), "社会组织": (0, 1),
    }.get(category, (0, 1))  # fmt: skip
    pc = rng.randint(*committees)
    gb = round(total * rng.uniform(0.03, 0.12))
    return pc, gb, total - pc - gb


def _weak_count(rng: random.Random, total: int) -> int:
    """How many of ``total`` organizations are weak: 3-8 % of them (biased low), at least 1."""
    lo = max(1, -(-3 * total // 100))
    hi = max(lo, 8 * total // 100)
    return rng.randint(lo, max(lo, min(hi, round(0.055 * total))))


def _f1_counts(total: tuple[int, int, int], weak: list[WeakOrg]) -> dict[str, int]:
    pc, gb, br = total
    counts = {"orgs_total": pc + gb + br, "party_committees": pc, "general_branches": gb, "branches": br}
    counts["weak_total"] = len(weak)
    for n, key in enumerate(F1_CRITERIA_KEYS, 1):
        counts[key] = sum(1 for o in weak if n in o.criteria)
    return counts


def _f2_row(org: WeakOrg, rnd: int) -> dict:
    status = org.statuses[rnd]
    return {
        "name": org.name,
        "members": org.members,
        "problems": org.problems,
        "secretary": org.secretary,
        "phone": org.phone,
        "category": org.category,
        "criteria_stated": "、".join(str(c) for c in org.criteria) or None,
        "status": status,
        "accepted_on": org.accepted_on if status == ACCEPTED else None,
    }


def _day(start: date, end: date, rng: random.Random) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def plan(seed: int = 2014) -> SamplePlan:
    """The sample returns of the default campaign, drawn deterministically from ``seed``."""
    b = _Builder(seed)
    rng = b.rng
    orgs: dict[str, list[WeakOrg]] = {}
    sizes: dict[str, dict[str, tuple[int, int, int]]] = {}
    villages: dict[str, list[dict]] = {}
    dates: dict[str, dict[int, date]] = {}

    for spec in UNITS:
        unit = spec.name
        sizes[unit], orgs[unit] = {}, []
        for category, (lo, hi) in spec.sizes.items():
            total = rng.randint(lo, hi)
            sizes[unit][category] = _kinds(rng, category, total)
            n_weak = 2 if (unit, category) == ("市两新工委", "社会组织") else _weak_count(rng, total)
            sector = _sector(category)
            for i in range(n_weak):
                kind = "党总支" if sizes[unit][category][1] and rng.random() < 0.08 else "党支部"
                criteria = b.criteria()
                if (unit, category) == ("市两新工委", "社会组织"):
                    criteria = ((5,), ())[i]  # planted: one weak organization meeting none of the six
                if criteria:
                    text, flags, vacant = b.problems(sector, category, criteria)
                else:
                    text, flags, vacant = (
                        "会员单位分散，党员多为兼职，党建资料台账不全，近三年未发展新党员。",
                        (),
                        False,
                    )
                lo_m, hi_m = (15, 80) if sector == VILLAGE else (3, 40)
                if kind == "党总支":
                    lo_m = max(lo_m, 50 if sector == VILLAGE else 20)
                secretary = (None if rng.random() < 0.5 else "空缺") if vacant else b.person()
                statuses, accepted = b.statuses(1)
                orgs[unit].append(
                    WeakOrg(
                        unit=unit,
                        name=b.org_name(spec, category, kind),
                        category=category,
                        members=rng.randint(lo_m, max(lo_m, hi_m)),
                        problems=text,
                        criteria=criteria,
                        flags=flags,
                        secretary=secretary,
                        phone=None if vacant else b.phone(spec.area),
                        statuses=statuses,
                        accepted_on=_day(date(2014, 4, 21), date(2014, 4, 27), rng) if accepted else None,
                    )
                )
        # the first round's dates; the later ones are common
        dates[unit] = {
            1: date(2014, 3, 14) if unit == "新化县" else _day(date(2014, 3, 10), date(2014, 3, 12), rng),
            2: date(2014, 4, 15),
            3: _day(date(2014, 4, 28), date(2014, 4, 30), rng),
        }
        villages[unit] = _villages(b, spec, orgs[unit])

    # 新化县 finds one more weak village in April.
    spec = UNIT_SPECS["新化县"]
    statuses, accepted = b.statuses(2)
    criteria = (1, 5)
    text, flags, vacant = b.problems(VILLAGE, "农村", criteria)
    orgs["新化县"].append(
        WeakOrg(
            unit="新化县", name=b.org_name(spec, "农村", "党支部"), category="农村", members=rng.randint(20, 60),
            problems=text, criteria=criteria, flags=flags, secretary=None if vacant else b.person(),
            phone=None if vacant else b.phone(spec.area), statuses=statuses,
            accepted_on=date(2014, 4, 27) if accepted else None, found_round=2,
        )
    )  # fmt: skip
    # The one 新化县 leaves out of its last register had turned around by April.
    dropped = next(o for o in orgs["新化县"] if o.category == "农村" and o.found_round == 1)
    dropped.statuses[2] = dropped.statuses[3] = TURNED
    dropped.accepted_on = None

    returns: list[UnitReturn] = []
    for rnd in ROUNDS:
        for spec in UNITS:
            if rnd in spec.skips:
                continue
            returns.append(_unit_return(spec, rnd, dates[spec.name][rnd], sizes[spec.name], orgs[spec.name],
                                        villages[spec.name]))  # fmt: skip

    planted, side_effects = _plant(returns, dropped, b)
    return SamplePlan(seed=seed, returns=returns, orgs=orgs, planted=planted, side_effects=side_effects)


def _villages(b: _Builder, spec: UnitSpec, weak: list[WeakOrg]) -> list[dict]:
    """The unit's villages whose re-election is hard, with their election date per round."""
    if not spec.f3_villages[1]:
        return []
    rng = b.rng
    n = rng.randint(*spec.f3_villages)
    weak_villages = [o for o in weak if o.category == "农村"]
    out = []
    for _ in range(n):
        known = weak_villages.pop(rng.randrange(len(weak_villages))) if weak_villages and rng.random() < 0.5 else None
        done2 = rng.random() < 0.3
        done3 = done2 or rng.random() < 0.75
        date2 = _day(date(2014, 3, 28), date(2014, 4, 12), rng) if done2 else None
        date3 = date2 or (_day(date(2014, 4, 16), date(2014, 4, 27), rng) if done3 else None)
        problems = rng.sample(_F3_PROBLEMS, rng.randint(1, 2))
        measures = rng.sample(_F3_MEASURES, rng.randint(1, 2))
        if known and known.secretary in (None, "空缺") and _F3_VACANT not in problems:
            problems = [_F3_VACANT, *problems[:1]]
        vacant = _F3_VACANT in problems
        out.append(
            {
                "name": known.name if known else b.org_name(spec, "农村", "党支部"),
                "members": known.members if known else rng.randint(15, 80),
                "problems": "".join(problems),
                "measures": "".join(measures),
                "secretary": None if vacant else (known.secretary if known else b.person()),
                "phone": None if vacant else (known.phone if known else b.phone(spec.area)),
                "done": {1: None, 2: date2, 3: date3},
            }
        )
    return out


def _unit_return(
    spec: UnitSpec,
    rnd: int,
    reported_on: date,
    sizes: dict[str, tuple[int, int, int]],
    orgs: list[WeakOrg],
    villages: list[dict],
) -> UnitReturn:
    present = [o for o in orgs if o.found_round <= rnd]
    f1 = {
        spec.written.get(cat, cat): _f1_counts(kinds, [o for o in present if o.category == cat])
        for cat, kinds in sizes.items()
    }
    f2 = [_f2_row(o, rnd) for o in present]
    f3 = None
    if spec.sends_f3:
        f3 = [
            {**{k: v for k, v in v_.items() if k != "done"}, "election_done": v_["done"][rnd] or NOT_DONE}
            for v_ in villages
        ]
    return UnitReturn(
        unit=spec.name,
        round=rnd,
        reported_on=reported_on,
        header_unit=spec.header_unit or spec.name,
        f1=f1,
        f1_percents={},
        f2=f2,
        f3=f3,
        layout=spec.layout,
        header=spec.header,
        f2_extra=not (spec.name == "双峰县" and rnd == 1),  # 双峰县 first sends the bare official register
    )


def _plant(returns: list[UnitReturn], dropped: WeakOrg, b: _Builder) -> tuple[list, list]:
    """Plant the deliberate mistakes in the latest returns; return (planted, side effects)."""
    latest = {ret.unit: ret for ret in returns}
    planted: list[tuple[str, str]] = [("CRITERIA_UNDERCOUNT", "市两新工委"), ("LATE_SUBMISSION", "新化县")]
    side: list[tuple[str, str]] = []

    ret = latest["娄星区"]
    computed = f1_percents(ret.f1["农村"])["weak_total_pct_orgs"]
    ret.f1_percents["农村"] = {"weak_total_pct_orgs": round(computed + 1.5, 2)}
    planted.append(("PERCENT_MISMATCH", "娄星区"))
    twice = dict(ret.f2[len(ret.f2) // 2])
    ret.f2.append(twice)
    planted.append(("DUPLICATE_ORG", "娄星区"))
    side.append(("LIST_COUNT_MISMATCH", "娄星区"))

    ret = latest["涟源市"]
    ret.f1["学校"]["branches"] -= 2
    planted.append(("BREAKDOWN_SUM", "涟源市"))
    ret.f2[3]["members"] = "若干"
    ret.f2[-2]["members"] = None
    planted.append(("MEMBERS_INVALID", "涟源市"))

    ret = latest["冷水江市"]
    ret.f1["医疗卫生单位"]["c6"] = ret.f1["医疗卫生单位"]["weak_total"] + 1
    planted.append(("CRITERION_EXCEEDS_WEAK", "冷水江市"))
    side.append(("CRITERIA_LIST_MISMATCH", "冷水江市"))
    corrected = [dict(r) for r in ret.f2]
    fix = next((r for r in corrected if r["status"] == IN_PROGRESS), corrected[0])
    fix["status"] = TURNED
    returns.append(
        UnitReturn(
            unit=ret.unit, round=ret.round, reported_on=ret.reported_on, header_unit=ret.header_unit, f1={},
            f1_percents={}, f2=corrected, f3=None, layout=FORMS, header=ret.header, note=CORRECTION,
        )
    )  # fmt: skip
    planted.append(("DUPLICATE_SUBMISSION", "冷水江市"))

    ret = latest["双峰县"]
    row = next(r for r in ret.f2 if r["phone"] and not r["phone"].startswith("0738"))
    row["phone"] = row["phone"].replace(" ", "")[:10]
    planted.append(("PHONE_INVALID", "双峰县"))

    ret = latest["新化县"]
    ret.f2 = [r for r in ret.f2 if r["name"] != dropped.name]
    planted.append(("LIST_COUNT_MISMATCH", "新化县"))
    side.append(("CRITERIA_LIST_MISMATCH", "新化县"))

    ret = latest["市直机关工委"]
    ret.f1[UNKNOWN_CATEGORY] = {
        "orgs_total": 16, "party_committees": 0, "general_branches": 1, "branches": 15, "weak_total": 0,
        **dict.fromkeys(F1_CRITERIA_KEYS, 0),
    }  # fmt: skip
    planted.append(("UNKNOWN_CATEGORY", "市直机关工委"))

    # A unit that is not in the campaign sends a return too.
    spec = UnitSpec(UNKNOWN_UNIT, "娄底市", {"机关": (20, 20)}, layout=WORKBOOK)
    criteria = (5, 6)
    text, flags, _ = b.problems(INSTITUTION, "机关", criteria)
    org = WeakOrg(
        unit=UNKNOWN_UNIT, name="娄底市公路运输管理处党支部", category="机关", members=12, problems=text,
        criteria=criteria, flags=flags, secretary=b.person(), phone=b.phone("8"), statuses={3: IN_PROGRESS},
    )  # fmt: skip
    returns.append(_unit_return(spec, 3, date(2014, 4, 29), {"机关": (1, 2, 17)}, [org], []))
    planted.append(("UNKNOWN_UNIT", UNKNOWN_UNIT))
    returns.sort(key=lambda r: r.round)  # stable: the correction stays after its original
    return planted, side


# ---------------------------------------------------------------------------
# Writing the files
# ---------------------------------------------------------------------------
def _f1_sheet_name(spec: UnitSpec | None, category: str) -> str:
    if spec and spec.sheet_style == 1:
        return f"{FORM_SHORT['F1']}（{category}）"
    return f"{FORM_ATTACHMENTS['F1']}-{category}"


def _write_f1_tables(wb, ret: UnitReturn, spec: UnitSpec | None, categories: list[str]) -> None:
    if spec and spec.stack_f1:
        ws = add_sheet(wb, FORM_ATTACHMENTS["F1"])
        top = 1
        for cat in categories:
            top = write_f1(ws, ret.header_unit, cat, ret.reported_on, ret.f1[cat], ret.f1_percents.get(cat),
                           header=ret.header, top=top)  # fmt: skip
        return
    for cat in categories:
        ws = add_sheet(wb, _f1_sheet_name(spec, cat))
        write_f1(ws, ret.header_unit, cat, ret.reported_on, ret.f1[cat], ret.f1_percents.get(cat), header=ret.header)


def _write_f2(wb, ret: UnitReturn, sheet: str) -> None:
    write_f2(add_sheet(wb, sheet), ret.header_unit, ret.reported_on, ret.f2, header=ret.header, extra=ret.f2_extra)


def _write_f3(wb, ret: UnitReturn, sheet: str) -> None:
    write_f3(add_sheet(wb, sheet), ret.header_unit, ret.reported_on, ret.f3, header=ret.header)


def _files_of(ret: UnitReturn) -> dict[str, object]:
    """File name -> workbook for one return, in the unit's layout."""
    spec = UNIT_SPECS.get(ret.unit)
    d = ret.reported_on.strftime("%Y%m%d")
    stem = f"{ret.unit}-第{ret.round}次"
    a1, a2, a3 = FORM_ATTACHMENTS["F1"], FORM_ATTACHMENTS["F2"], FORM_ATTACHMENTS["F3"]
    s1, s2, s3 = FORM_SHORT["F1"], FORM_SHORT["F2"], FORM_SHORT["F3"]
    files: dict[str, object] = {}
    if ret.note == CORRECTION:
        wb = new_workbook()
        _write_f2(wb, ret, a2)
        return {f"{stem}-{a2}-{s2}-{d}（{CORRECTION}）.xlsx": wb}
    categories = list(ret.f1)
    if ret.layout == WORKBOOK:
        wb = new_workbook()
        _write_f1_tables(wb, ret, spec, categories)
        style = spec.sheet_style if spec else 0
        if ret.f2 is not None:
            _write_f2(wb, ret, s2 if style else a2)
        if ret.f3 is not None:
            _write_f3(wb, ret, s3 if style else a3)
        return {f"{stem}-软弱涣散基层党组织报表-{d}.xlsx": wb}
    if ret.layout == PER_CATEGORY:
        for cat in categories:
            wb = new_workbook()
            _write_f1_tables(wb, ret, spec, [cat])
            files[f"{stem}-{a1}-{s1}-{cat}-{d}.xlsx"] = wb
    else:
        wb = new_workbook()
        _write_f1_tables(wb, ret, spec, categories)
        files[f"{stem}-{a1}-{s1}-{d}.xlsx"] = wb
    if ret.f2 is not None:
        wb = new_workbook()
        _write_f2(wb, ret, a2)
        files[f"{stem}-{a2}-{s2}-{d}.xlsx"] = wb
    if ret.f3 is not None:
        wb = new_workbook()
        _write_f3(wb, ret, a3)
        files[f"{stem}-{a3}-{s3}-{d}.xlsx"] = wb
    return files


def write_samples(out_dir: str | Path, seed: int = 2014) -> list[Path]:
    """Write the sample returns of ``plan(seed)`` as .xlsx files into ``out_dir`` (flat); return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for ret in plan(seed).returns:
        stamp = datetime(ret.reported_on.year, ret.reported_on.month, ret.reported_on.day, 17, 30)
        for name, wb in _files_of(ret).items():
            path = out / name
            path.write_bytes(workbook_bytes(wb, stamp))
            paths.append(path)
    return sorted(paths)
