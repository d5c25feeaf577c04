"""Findings: the plain record every check yields, the rule catalogue and the refusal reasons."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import pandas as pd

from weakorg.vocab import CRITERIA, F2_EXTRA_COLUMNS, STATUS_LABEL, STATUSES

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
CRITERIA_RANGE = f"{min(CRITERIA)}至{max(CRITERIA)}"  # 1至6


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    title: str  # one line in Chinese, shown beside the code


# Every rule code of DESIGN.md, with its severity. Codes are stable: tests, exports, the API use them.
RULES = {
    r.code: r
    for r in (
        Rule("BREAKDOWN_SUM", ERROR, "党委、党总支、党支部之和不等于所辖基层党组织数"),
        Rule("WEAK_EXCEEDS_TOTAL", ERROR, "软弱涣散基层党组织数大于所辖基层党组织数"),
        Rule("CRITERION_EXCEEDS_WEAK", ERROR, "某条标准的数量大于软弱涣散基层党组织数"),
        Rule("CRITERIA_UNDERCOUNT", WARNING, "六条标准合计少于软弱涣散基层党组织数"),
        Rule("PERCENT_MISMATCH", WARNING, "填报的比例与计算值相差超过0.1个百分点"),
        Rule("LIST_COUNT_MISMATCH", ERROR, "一览表行数与汇总表软弱涣散总数不符"),
        Rule("MEMBERS_INVALID", ERROR, "党员数缺失、不是整数、小于1或远超实际"),
        Rule("SMALL_BRANCH", WARNING, "党支部党员少于3人"),
        Rule("PHONE_INVALID", WARNING, "联系方式既不是手机号也不是固定电话"),
        Rule("SECRETARY_MISSING", WARNING, "未填书记姓名，主要问题中也未说明书记空缺"),
        Rule("DUPLICATE_ORG", ERROR, "同一党组织重复填报"),
        Rule("NOT_VILLAGE", WARNING, "难点村表中填了非村级党组织"),
        Rule("DATE_INVALID", WARNING, "日期无法识别"),
        Rule("LATE_SUBMISSION", WARNING, "首次报送的填表时间晚于截止日期"),
        Rule("UNKNOWN_UNIT", ERROR, "填报单位不在本次整顿范围内"),
        Rule("UNKNOWN_CATEGORY", ERROR, "党组织类别不是九类之一"),
        Rule("DUPLICATE_SUBMISSION", INFO, "同一单位、类别、表格、日期重复报送，以后上传的为准"),
        Rule("CRITERIA_LIST_MISMATCH", WARNING, "汇总表某条标准数量与一览表中符合该标准的组织数不符"),
        Rule("ORG_DROPPED", WARNING, "前次一览表中的组织在最新一览表中消失，且未转化或验收"),
        Rule("FORMULA_UNCACHED", WARNING, "单元格是未计算的公式，数值未知"),
        # Added with the criteria classifier and the cross-form checks (issue 5).
        Rule("CRITERIA_TEXT_MISMATCH", WARNING, "一览表填报的符合标准与主要问题所述情况不符"),
        Rule("CATEGORY_NOT_IN_SUMMARY", WARNING, "一览表中党组织的类别不在本单位汇总表的类别中"),
        Rule("VILLAGE_NOT_LISTED", INFO, "换届选举难点村不在本单位软弱涣散基层党组织一览表中"),
        # Added with text hygiene at the edge (issue 12).
        Rule("CONTROL_CHARS_REMOVED", WARNING, "单元格含有不可见的控制字符，读取时已删除"),
        # Added with the corrections of the record (issue 13).
        Rule(
            "DATE_OUT_OF_RANGE",
            WARNING,
            "填表时间晚于今天、远早于整顿开始或远晚于整顿结束，经分析员确认后才作为有效报送",
        ),
        Rule("UNIT_MISMATCH", WARNING, "文件中的党组织属于表头所填以外的另一单位"),
        # Added when values outside a register column's list were read silently: each is now said, to the cell.
        Rule("CRITERIA_INVALID", ERROR, f"{F2_EXTRA_COLUMNS['criteria_stated']}栏不是第{CRITERIA_RANGE}条标准的编号"),
        Rule("STATUS_INVALID", ERROR, f"{STATUS_LABEL}不是{'、'.join(STATUSES)}之一"),
        # Added when an analyst's walk found a count typed as words read as blank, and a line with no name kept.
        Rule("NUMBER_INVALID", ERROR, "汇总表的数量或比例不是数字，或数量不是0或正整数"),
        Rule("NUMBER_IN_WORDS", INFO, "汇总表的数量或党员数用汉字书写，已按数字计入"),
        Rule("ORG_NAME_MISSING", ERROR, "一览表或难点村表的一行未填党组织名称"),
    )
}

# Why a whole file is refused (nothing of it is stored). Code -> what to tell the clerk.
REJECT_REASONS = {
    "NOT_SPREADSHEET": "该文件不是电子表格（可能是改了扩展名的Word、PDF或图片）。请用Excel或WPS另存为.xlsx后重新上传。",
    "EMPTY": "该文件是空的，没有任何内容。请确认已保存填好的报表后重新上传。",
    "CORRUPT": "该文件已损坏或不完整，无法打开。请在Excel或WPS中打开确认后另存为.xlsx重新上传。",
    "ENCRYPTED": "该文件设置了打开密码，无法读取。请取消密码保护后重新上传。",
    "NO_FORM": "该文件中没有找到附件1、2、3中的任何一张表。请使用下发的模板填报，不要改动表头。",
    "TOO_LARGE": "该文件超出允许的大小或行列数。请只保留报表所在的工作表后重新上传。",
    # Not a reading's: the command line consolidating files of which the store has withdrawn one (as the pages do).
    "WITHDRAWN": "该文件已在数据库中撤回，与页面一致，未计入汇总。",
}

# What a refused file's finding is called where a rule's title would stand (its ``rule`` is the reason code).
REJECT_NAMES = {
    "NOT_SPREADSHEET": "不是电子表格",
    "EMPTY": "空文件",
    "CORRUPT": "文件已损坏",
    "ENCRYPTED": "文件设有打开密码",
    "NO_FORM": "没有找到报表",
    "TOO_LARGE": "文件过大",
    "WITHDRAWN": "已撤回的报送",
    "REFUSED": "文件未能读取",  # a refusal without a reason code (weakorg.app.UploadResult.sent_back)
}
UNNAMED_RULE = "其他问题"  # a code neither catalogue knows (never expected): still no English before a user


def rule_name(code: str) -> str:
    """The Chinese name users see for a rule or refusal code (the code itself is for machines and exports only)."""
    if code in RULES:
        return RULES[code].title
    return REJECT_NAMES.get(code, UNNAMED_RULE)


def rule_names(codes) -> list[str]:
    """``rule_name`` of each code (a column of codes as users see it)."""
    return [rule_name(c) for c in codes]


@dataclass(frozen=True)
class Finding:
    """One thing a check found: rule code, severity, a Chinese message and where."""

    rule: str
    severity: str
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    unit: str | None = None
    category: str | None = None
    org: str | None = None
    form: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


FINDING_COLUMNS = tuple(f.name for f in fields(Finding))


def finding(rule: str, message: str, **where) -> Finding:
    """A finding of a catalogued rule, its severity taken from the catalogue."""
    return Finding(rule=rule, severity=RULES[rule].severity, message=message, **where)


def findings_to_frame(findings: list[Finding]) -> pd.DataFrame:
    """Findings as a frame with a fixed column order: the one bridge to pandas, charts and SQL."""
    return pd.DataFrame([f.to_dict() for f in findings], columns=list(FINDING_COLUMNS))
