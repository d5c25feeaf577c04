"""Realistic sample returns for the default campaign: every unit, three rounds, a few planted mistakes.

``plan(seed)`` decides everything (deterministic for a seed); ``write_samples(out_dir)`` lays the
plan out as .xlsx files in the official layout, varying the file layout from unit to unit the way
real returns do. ``SamplePlan.expected_totals()`` gives the consolidated figures the files must
yield: the latest return per unit, category and form, canonical units and categories only.

One file per concern: units.py (the units, rounds, layouts, sectors), names.py (name pools),
problems.py (主要问题 and 附件3 texts), builder.py (the seeded draws), returns.py (the organizations,
returns and plan as data), draw.py (``plan``), mistakes.py (the planted mistakes), workbooks.py
(``write_samples``).
"""

from weakorg.sample.builder import _Builder
from weakorg.sample.draw import _kinds, plan
from weakorg.sample.problems import _F3_MEASURES, _F3_PROBLEMS, _F3_VACANT
from weakorg.sample.returns import SamplePlan, UnitReturn, WeakOrg, _f1_counts, _f2_row, canonical_category
from weakorg.sample.units import (
    ACCEPTED,
    COMMUNITY,
    CORRECTION,
    FIRM,
    FORMS,
    IN_PROGRESS,
    INSTITUTION,
    NOT_DONE,
    NOT_STARTED,
    PER_CATEGORY,
    ROUNDS,
    TURNED,
    UNIT_SPECS,
    UNITS,
    UNKNOWN_CATEGORY,
    UNKNOWN_UNIT,
    VILLAGE,
    WORKBOOK,
    UnitSpec,
    _sector,
)
from weakorg.sample.workbooks import write_samples

# the underscored names are the package's own; bench/ draws its corpora with them
__all__ = [
    "ACCEPTED",
    "COMMUNITY",
    "CORRECTION",
    "FIRM",
    "FORMS",
    "INSTITUTION",
    "IN_PROGRESS",
    "NOT_DONE",
    "NOT_STARTED",
    "PER_CATEGORY",
    "ROUNDS",
    "TURNED",
    "UNITS",
    "UNIT_SPECS",
    "UNKNOWN_CATEGORY",
    "UNKNOWN_UNIT",
    "VILLAGE",
    "WORKBOOK",
    "_F3_MEASURES",
    "_F3_PROBLEMS",
    "_F3_VACANT",
    "SamplePlan",
    "UnitReturn",
    "UnitSpec",
    "WeakOrg",
    "_Builder",
    "_f1_counts",
    "_f2_row",
    "_kinds",
    "_sector",
    "canonical_category",
    "plan",
    "write_samples",
]
