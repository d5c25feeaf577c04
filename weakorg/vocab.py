"""The domain vocabulary of the notice, defined once as data and imported everywhere."""

from __future__ import annotations

from datetime import timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

# ---------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------
F1, F2, F3 = "F1", "F2", "F3"
FORMS = (F1, F2, F3)

FORM_TITLES = {
    F1: "软弱涣散基层党组织情况汇总表",
    F2: "软弱涣散基层党组织简要情况一览表",
    F3: "党组织换届选举难点村简要情况一览表",
}
FORM_ATTACHMENTS = {F1: "附件1", F2: "附件2", F3: "附件3"}
FORM_SHORT = {F1: "汇总表", F2: "一览表", F3: "难点村"}

# Header line fields
UNIT_LABEL = "填报单位"
NO_UNIT_LABEL = "单位未识别"  # a file, line or finding of no unit the campaign names
CATEGORY_LABEL = "党组织类别"
DATE_LABEL = "填表时间"
HEADER_LABELS = {"unit": UNIT_LABEL, "category": CATEGORY_LABEL, "date": DATE_LABEL}

NOT_APPLICABLE = "——"
# Ways a filer writes "nothing here / not applicable".
NA_TOKENS = frozenset({"", "——", "—", "-", "--", "－", "/", "／", "无", "—— ", "╱"})
# What a register line holds when the unit has nothing to list (a line of only these is no organization);
# compared after NFKC with whitespace and trailing punctuation removed.
PLACEHOLDER_TOKENS = NA_TOKENS | {"没有", "暂无", "无此情况", "本单位无", "空", "略", "无。", "零", "0"}

# ---------------------------------------------------------------------------
# Categories (党组织类别), in the notice's order
# ---------------------------------------------------------------------------
CATEGORIES = (
    "农村",
    "街道社区",
    "国有企业",
    "机关",
    "学校",
    "医疗卫生单位",
    "其他事业单位",
    "非公有制经济组织",
    "社会组织",
)
ALL_CATEGORIES = "全部类别"  # every category together (a filter left open; the city's total 附件1 table)
# What a 附件1 table's 党组织类别 says when it is the total of the file's category tables (the city's return
# written by weakorg, a county that adds one): read as that total, never as a tenth category.
TOTAL_CATEGORY_WORDS = frozenset({ALL_CATEGORIES, "全部", "合计", "总计", "汇总", "所有类别", "各类别合计"})
# Loose names seen in real returns -> canonical category.
CATEGORY_ALIASES = {
    "村": "农村",
    "农村党组织": "农村",
    "社区": "街道社区",
    "街道": "街道社区",
    "城市社区": "街道社区",
    "国企": "国有企业",
    "国有企业党组织": "国有企业",
    "机关党组织": "机关",
    "学校党组织": "学校",
    "教育": "学校",
    "卫生": "医疗卫生单位",
    "医疗卫生": "医疗卫生单位",
    "医院": "医疗卫生单位",
    "事业单位": "其他事业单位",
    "其他事业": "其他事业单位",
    "非公企业": "非公有制经济组织",
    "非公": "非公有制经济组织",
    "非公有制企业": "非公有制经济组织",
    "非公经济组织": "非公有制经济组织",
    "社会组织党组织": "社会组织",
}
# One colour per category, the same on every chart (colour-blind safe-ish palette).
CATEGORY_COLORS = {
    "农村": "#4E79A7",
    "街道社区": "#F28E2B",
    "国有企业": "#E15759",
    "机关": "#76B7B2",
    "学校": "#59A14F",
    "医疗卫生单位": "#EDC948",
    "其他事业单位": "#B07AA1",
    "非公有制经济组织": "#FF9DA7",
    "社会组织": "#9C755F",
}

# ---------------------------------------------------------------------------
# Kinds of grassroots organization and the six criteria
# ---------------------------------------------------------------------------
KINDS = ("党委", "党总支", "党支部")

CRITERIA = {
    1: "党组织班子配备不齐、书记长期缺职、工作处于停滞状态",
    2: "党组织书记不胜任现职、工作不在状态、严重影响班子整体战斗力",
    3: "班子不团结、内耗严重、工作不能正常开展",
    4: "党组织长期不换届",
    5: "组织制度形同虚设、不开展党组织活动",
    6: "党组织服务意识不强、服务水平不高、党员群众满意率低",
}
CRITERIA_SHORT = {
    1: "班子不齐/书记缺职",
    2: "书记不胜任",
    3: "班子不团结",
    4: "长期不换届",
    5: "制度虚设/不开展活动",
    6: "服务差/满意率低",
}
CRITERION_NUMERALS = "123456"

# Key-rectification flags (重点整顿)
FLAGS = {
    "vote_buying": "换届选举拉票贿选",
    "interference": "宗族宗教和黑恶势力干扰渗透",
    "affairs_disorder": "村务居务财务公开和民主管理混乱",
    "petitions": "社会治安问题和信访矛盾纠纷集中",
}

# Rectification status (整顿进展), in the order they are reached.
STATUSES = ("未启动", "整顿中", "已转化", "已验收")
STATUS_DONE = ("已转化", "已验收")

# Reporting (报送情况): a unit of the campaign has sent nothing, sent its first returns late, or on time.
REPORT_MISSING, REPORT_LATE, REPORT_ON_TIME = "missing", "late", "on_time"
REPORT_STATES = (REPORT_MISSING, REPORT_LATE, REPORT_ON_TIME)  # the order the status table lists units in
REPORT_STATE_LABELS = {REPORT_MISSING: "未报送", REPORT_LATE: "逾期", REPORT_ON_TIME: "按时"}
STATUS_LABEL = "整顿进展"
STATUS_COLORS = {"未启动": "#BAB0AC", "整顿中": "#F28E2B", "已转化": "#4E79A7", "已验收": "#59A14F"}
VILLAGES_ELECTED = "已完成换届"  # difficult villages whose re-election is done
CITY_TOTAL = "全市"  # the city as a whole, beside its units
TOTAL_LABEL = "合计"  # a sum: the total row of a table, the total sheet of a return, a stacked bar's whole
PICK = "请选择"  # a picker's prompt while nothing is chosen (Streamlit's own is English)
# The overview: change since the previous return, the ranking of units.
PREVIOUS_RETURN = "上一轮"  # the returns as they stood on the campaign's previous report date (round)
ROUND_NAME = "第{n}次报送"  # a round of the campaign (its report dates, campaign file ``rounds``)
LATEST_LABEL = "最新"  # the latest 填表时间 in view, when it is not a round's date
AS_OF_LABEL = "数据截至"  # the date what a page or a document shows is of
AS_OF_RULE = "各单位以该日及之前最近一次报送为准"  # which return of a unit counts as of a date
PERCENT_POINTS = "个百分点"
RANK_LABEL = "排名"
LISTED_LABEL = "一览表所列数"  # weak organizations listed in a unit's F2 register
DONE_LABEL = "已转化或已验收数"  # of them, those that have reached STATUS_DONE
DONE_SHARE = "整顿转化率"  # DONE_LABEL as a share of LISTED_LABEL
WEAK_SHARE = "软弱涣散占比"  # weak organizations as a share of all grassroots organizations
# A share leaves out the 附件1 tables whose weak organizations exceed all (an error): said beside it, with how many.
SHARE_LEFT_OUT = "不含软弱涣散数多于所辖基层党组织数的附件1（{n}张，须由填报单位改正）"
ELECTED_SHARE = "换届完成率"  # VILLAGES_ELECTED as a share of the difficult villages listed
CORRECTED_COLUMN = "corrected"  # Picture.weak_orgs: a line whose criteria and flags are an analyst's correction
UNCORRECTED_COLUMN = "criteria_uncorrected"  # Picture.weak_orgs: a corrected line's criteria before the correction
# Where the forms disagree, a figure shows both: what 附件1 states and what the 一览表 lists.
BOTH_COUNTS = "附件1填报{reported:,}个 · 一览表列出{listed:,}个"
PERCENT_UNIT = "（%）"

# ---------------------------------------------------------------------------
# F1: the summary table
# ---------------------------------------------------------------------------
# Machine keys of the F1 rows, in the official order, with the label printed in column A.
F1_ROWS = {
    "orgs_total": "所辖基层党组织",
    "party_committees": "党委",
    "general_branches": "党总支",
    "branches": "党支部",
    "weak_total": "软弱涣散基层党组织",
    **{f"c{n}": f"（{n}）{text}的" for n, text in CRITERIA.items()},
}
F1_KIND_KEYS = ("party_committees", "general_branches", "branches")
F1_CRITERIA_KEYS = tuple(f"c{n}" for n in CRITERIA)
F1_COUNT_KEYS = tuple(F1_ROWS)
F1_COLUMNS = {
    "count": "数量（个）",
    "pct_orgs": "占填报单位所辖基层党组织总数比例（%）",
    "pct_weak": "占软弱涣散基层党组织总数比例（%）",
}
# Which percentage cells the official grid expects to be filled (the others hold "——").
F1_PCT_ORGS_KEYS = (*F1_KIND_KEYS, "weak_total", *F1_CRITERIA_KEYS)
F1_PCT_WEAK_KEYS = F1_CRITERIA_KEYS
F1_NOTE = "各填报单位分类别填报数据，每一张汇总表只填报一类软弱涣散党组织的情况。"

# ---------------------------------------------------------------------------
# F2 and F3: the registers. Machine field -> official column header.
# ---------------------------------------------------------------------------
F2_COLUMNS = {
    "seq": "序号",
    "name": "软弱涣散基层党组织名称",
    "members": "党员数",
    "problems": "主要问题",
    "secretary": "党组织书记姓名",
    "phone": "党组织书记联系方式",
}
# Optional columns that weakorg's templates add at the right of F2.
F2_EXTRA_COLUMNS = {
    "category": "党组织类别",
    "criteria_stated": "符合标准（1-6）",
    "status": "整顿进展",
    "accepted_on": "验收日期",
}
F3_COLUMNS = {
    "seq": "序号",
    "name": "村党组织名称",
    "members": "党员数",
    "problems": "主要问题",
    "measures": "整顿措施",
    "election_done": "换届选举完成时间",
    "secretary": "党组织书记姓名",
    "phone": "党组织书记联系方式",
}
REGISTER_BLANK_ROWS = 10  # the official sheets have ten numbered rows

# Synonyms of column headers in real returns (after normalisation) -> machine field.
COLUMN_SYNONYMS = {
    "编号": "seq",
    "序": "seq",
    "党组织名称": "name",
    "基层党组织名称": "name",
    "村党组织": "name",
    "党员人数": "members",
    "党员数（人）": "members",
    "党员数(人)": "members",
    "问题": "problems",
    "存在的主要问题": "problems",
    "书记姓名": "secretary",
    "党组织书记": "secretary",
    "联系方式": "phone",
    "联系电话": "phone",
    "书记联系方式": "phone",
    "换届完成时间": "election_done",
    "换届时间": "election_done",
    "符合标准": "criteria_stated",
    "类别": "category",
    "进展": "status",
    "整顿情况": "status",
}

# ---------------------------------------------------------------------------
# Reading names and register cells
# ---------------------------------------------------------------------------
# What a filer writes in 党组织书记姓名 when the post is vacant.
SECRETARY_VACANT_WORDS = frozenset({"空缺", "暂缺", "缺", "缺职", "未配备", "待配备", "待选"})
FIRM_CATEGORIES = ("国有企业", "非公有制经济组织")  # a 公司 or 厂 is one or the other: the unit's F1 tables tell
# An organization's category from its name (regex on the name without spaces; first match wins), tuned on
# tests/fixtures/names_labelled_a.toml and measured on names_labelled_b.toml (docs/benchmarks.md, "Category from
# the name"). FIRM_CATEGORIES stands for "a firm, state-owned or not": the unit's 附件1 tables tell which.
VILLAGE_NAME = r"村(?:党|支部|总支|两委|委|联合|外出|功能|$|（|\()"  # …村党支部, …村党总支, …村
CATEGORY_BY_NAME = (
    (
        r"医院|卫生院|卫生室|卫生服务中心|疾病预防控制|疾控|妇幼保健|保健院|血站|急救中心|卫生监督|防治所|防治站"
        r"|计划生育|计生服务",
        "医疗卫生单位",
    ),
    (r"学校|中学|小学|学院|幼儿园|中专|职校|大学|教学点|联校|中心校|完小", "学校"),
    (r"协会|商会|学会|联合会|基金会|促进会|研究会|总会|事务所|社会组织|律师行业|民办非企业", "社会组织"),
    (r"社区|居委会|小区|居民党|撤村建居", "街道社区"),
    (VILLAGE_NAME, "农村"),
    (
        r"[^加]站|文化馆|图书馆|博物馆|纪念馆|电视台|广播台|福利院|敬老院|殡仪馆|林场|林科所|水库|水管所"
        r"|管理中心|推广中心",
        "其他事业单位",
    ),
    (
        r"国网|供电|电力公司|烟草|银行|信用合作联社|信用联社|信用社|农商行|邮政|移动通信|联通|电信|石化|石油"
        r"|自来水|公共汽车|公交公司|粮食购销|城市建设投资|城投|供销社|国有|^县[^公有]{1,6}厂",
        "国有企业",
    ),
    (r"非公|个体|私营|民营|合作社|超市|商场|商行|物业服务", "非公有制经济组织"),
    (r"公司|厂|集团|企业|矿", FIRM_CATEGORIES),
    (r"机关|[^邮]局|派出所|司法所|国土(?:资源)?所|工商所|财政所|税务所|检察院|法院|政府|人大|政协|交警|武装部", "机关"),
)
VILLAGE_CATEGORY_BY_NAME = "农村"  # what VILLAGE_NAME's rule gives: an F3 line names a village organization

# ---------------------------------------------------------------------------
# Findings sent back to a unit
# ---------------------------------------------------------------------------
# Columns of the findings list (.xlsx) a unit gets back: machine field -> header.
FINDING_LIST_HEADERS = {
    "unit": "填报单位",
    "form": "表格",
    "file": "文件",
    "sheet": "工作表",
    "cell": "单元格",
    "org": "党组织",
    "rule": "规则代码",
    "title": "规则",
    "severity": "严重程度",
    "message": "说明",
}
FINDING_LIST_SHEET = "问题清单"
# Fill of an offending cell in the annotated copy of a unit's workbook (RGB hex).
SEVERITY_FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
ANNOTATION_AUTHOR = "市委组织部审核"


# ---------------------------------------------------------------------------
# Roles and what each may do (accounts: weakorg/accounts.py)
# ---------------------------------------------------------------------------
ADMIN, ANALYST, SUPERVISOR, LEADER = "admin", "analyst", "supervisor", "leader"
ROLES = {ADMIN: "管理员", ANALYST: "分析员", SUPERVISOR: "督导组", LEADER: "领导"}  # key -> the name users see
ROLE_DUTIES = {
    ADMIN: "管理账号、撤回报送、维护整顿工作配置，查看操作日志",
    ANALYST: "上传、保存、说明、更正、确认报送，导出汇总表",
    SUPERVISOR: "只读，只能看到分配给本账号的填报单位",
    LEADER: "只读，可看全部填报单位",
}
# Permission names: READ sees data at all, READ_ALL every unit (without it only the account's units).
READ, READ_ALL, DOWNLOAD = "read", "read_all", "download"
UPLOAD, SAVE, EXPLAIN, CORRECT, CONFIRM, EXPORT = "upload", "save", "explain", "correct", "confirm", "export"
REVEAL_PHONE, WITHDRAW, MANAGE_ACCOUNTS, MANAGE_CAMPAIGN, VIEW_AUDIT = (
    "reveal_phone",
    "withdraw",
    "manage_accounts",
    "manage_campaign",
    "view_audit",
)
ROLE_PERMISSIONS = {
    ADMIN: frozenset({READ, READ_ALL, DOWNLOAD, WITHDRAW, MANAGE_ACCOUNTS, MANAGE_CAMPAIGN, VIEW_AUDIT}),
    ANALYST: frozenset({READ, READ_ALL, DOWNLOAD, UPLOAD, SAVE, EXPLAIN, CORRECT, CONFIRM, EXPORT, REVEAL_PHONE}),
    SUPERVISOR: frozenset({READ, DOWNLOAD}),
    LEADER: frozenset({READ, READ_ALL, DOWNLOAD, REVEAL_PHONE}),
}
PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())


def chinese_date(value) -> str:
    """A date the way a clerk writes it: 2014年3月12日 ("" for none; text stays as written)."""
    if value is None:
        return ""
    if hasattr(value, "date") and callable(value.date):  # datetime, pandas Timestamp
        value = value.date()
    if hasattr(value, "year") and hasattr(value, "day"):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


# The store keeps every moment in UTC (naive); users read them in China's time (UTC+8 all year, no summer time).
LOCAL_TIME_LABEL = "北京时间"
LOCAL_TZ = timezone(timedelta(hours=8), LOCAL_TIME_LABEL)


def local_time(at, seconds: bool = False) -> str:
    """A stored moment (naive UTC) as users read it, in Beijing time: 2026-12-05 11:15, with ``seconds`` 11:15:42 (an
    audit log's entries); "" for none."""
    if at is None or pd.isna(at):
        return ""
    moment = pd.Timestamp(at)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment
    return moment.tz_convert(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


REPLACED_LABEL = "已被替换"  # a submission every table of which a later return of the same unit and form superseded
ELECTED, NOT_ELECTED = (
    "已完成",
    "未完成",
)  # a 换届难点村's re-election: done, or not yet (the city's return says so too)
ELECTION_UNREADABLE = "时间无法识别"  # a 换届选举完成时间 written so it cannot be read ("3/5"): neither of the above


def rounded(value: float, digits: int = 1) -> str:
    """A figure to ``digits`` decimals rounded half up (四舍五入), as a clerk rounds by hand: 5 of 80 is 6.3, not the
    6.2 of binary floats' half-to-even."""
    return str(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def percent_of(part: float, whole: float, digits: int = 2) -> float:
    """``part`` as a percentage of ``whole`` rounded half up (四舍五入) from the exact quotient: 1 of 32 is 3.13, not
    the 3.12 that rounding the binary float half to even gives."""
    exact = Decimal(repr(float(part))) * 100 / Decimal(repr(float(whole)))
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


APP_TITLE = "软弱涣散基层党组织整顿"  # the browser tab's title, and the maker a file's properties name
