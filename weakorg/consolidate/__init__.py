"""The city picture: the latest return of each unit stands; totals by unit, category and criterion.

One module per concern: ``columns`` (the frames' columns), ``standing`` (which return stands), ``lines`` (each
register line's criteria and category), ``picture`` (the picture and its totals), ``as_json`` (its JSON shape).
"""

from weakorg.consolidate.as_json import json_value, picture_to_json
from weakorg.consolidate.columns import (
    COUNT_COLUMNS,
    FILE_KEYS,
    FINDING_KEYS,
    PICTURE_COLUMNS,
    READING_COLUMNS,
    SUMMARY_COLUMNS,
    VILLAGE_CATEGORY,
    VILLAGE_COLUMNS,
    WEAK_ORG_COLUMNS,
)
from weakorg.consolidate.lines import (
    canonical_category,
    org_categories,
    parse_criteria,
    read_problems,
    readings,
    readings_digest,
    stated_or_read,
)
from weakorg.consolidate.picture import (
    Picture,
    consolidate,
    election_unknown,
    file_entries,
    filter_picture,
    share_of,
    shares_left_out,
)
from weakorg.consolidate.standing import (
    CURRENT_KEYS,
    PAST_RULES,
    current_submissions,
    day_numbers,
    latest,
    latest_positions,
    of_standing,
    replaced,
    standing_empty,
    told_apart,
)

__all__ = [
    "COUNT_COLUMNS",
    "CURRENT_KEYS",
    "FILE_KEYS",
    "FINDING_KEYS",
    "PAST_RULES",
    "PICTURE_COLUMNS",
    "READING_COLUMNS",
    "SUMMARY_COLUMNS",
    "VILLAGE_CATEGORY",
    "VILLAGE_COLUMNS",
    "WEAK_ORG_COLUMNS",
    "Picture",
    "canonical_category",
    "consolidate",
    "current_submissions",
    "day_numbers",
    "election_unknown",
    "file_entries",
    "filter_picture",
    "json_value",
    "latest",
    "latest_positions",
    "of_standing",
    "org_categories",
    "parse_criteria",
    "picture_to_json",
    "read_problems",
    "readings",
    "readings_digest",
    "replaced",
    "share_of",
    "shares_left_out",
    "standing_empty",
    "stated_or_read",
    "told_apart",
]
