"""What the pages show, computed without Streamlit: uploads, the picture in scope, metrics and tables.

The pages only lay these out; every number and every table they show comes from here,
so it is tested without a browser. One file per concern: uploads.py (reading and checking
uploaded files, what goes back to a unit), batch.py (a batch as the upload page lists it),
save.py (storing the readable uploads), consolidated.py (the picture in scope, the filters'
options, the table by unit), finding_tables.py (findings and the explanations of warnings as
tables), submissions.py (the stored submissions). The shipped sample returns stay here, where
tests point ``SAMPLE_DIR`` elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from weakorg.app.batch import (
    NO_PROBLEM_SHOWN,
    PROBLEM_FILES_LABEL,
    REFUSED_COUNT,
    UPLOAD_SHOW,
    problem_uploads,
    select_uploads,
    unit_findings_table,
    upload_label,
    upload_summary,
    upload_table,
)
from weakorg.app.consolidated import (
    ORGS,
    WEAK,
    category_options,
    is_blank,
    picture,
    review_items,
    unit_options,
    unit_table,
)
from weakorg.app.finding_tables import (
    EXPLAINED,
    EXPLAINED_HEADER,
    EXPLANATION_HEADER,
    FINDING_HEADERS,
    OPEN,
    PLACE_HEADERS,
    explainable,
    explained_text,
    explanation_of,
    explanation_rows,
    explanation_texts,
    finding_key,
    finding_label,
    findings_table,
    located_line,
    warning_counts,
    warning_counts_text,
)
from weakorg.app.save import (
    SaveReport,
    held_back_text,
    reinstated_text,
    save_each,
    save_uploads,
    some_names,
    store_readable,
)
from weakorg.app.submissions import SUBMISSION_HEADERS, submissions_table
from weakorg.app.uploads import (
    SENDBACK_ALL,
    SENDBACK_ALL_NAME,
    SENDBACK_ANNOTATED,
    SENDBACK_LIST,
    STATUS_OK,
    STATUS_REJECTED,
    UPLOAD_TYPES,
    Progress,
    UploadResult,
    _attribute,
    batch_findings,
    check_batch,
    process_uploads,
    registered_elsewhere,
    select_findings,
    sendback,
    sendback_zip,
    unit_in_name,
)
from weakorg.campaign import Campaign
from weakorg.store import Store
from weakorg.store.schema import EXPLANATION_KEYS

SAMPLE_DIR = Path(__file__).resolve().parent.parent.parent / "sample_data"


def sample_files(directory: Path | None = None) -> list[Path]:
    """The sample returns shipped in the repository (or in ``directory``), in name order."""
    directory = Path(directory) if directory is not None else SAMPLE_DIR
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower().lstrip(".") in UPLOAD_TYPES)


def load_samples_if_empty(
    store: Store, directory: Path | None = None, campaign: Campaign | None = None, demo: bool | None = None
) -> list[int]:
    """On a demo's first start load every sample return; the ids stored, none unless ``weakorg.demo`` allows it.

    Only a brand-new store (no submission ever, no account) of a demo database gets them: the default
    SQLite file or ``WEAKORG_DEMO=1``, or ``demo=True`` from the caller; a production store never does.
    """
    from weakorg.demo import may_load_samples

    if not may_load_samples(store, demo):
        return []
    paths = sample_files(directory)
    if not paths:
        return []
    results = process_uploads([(p.name, p.read_bytes()) for p in paths], campaign)
    return save_uploads(store, results, uploaded_by="示例数据", campaign=campaign)


# _attribute: bench/ splits a batch's findings among its files as an upload does
__all__ = [
    "EXPLAINED",
    "EXPLAINED_HEADER",
    "EXPLANATION_HEADER",
    "EXPLANATION_KEYS",
    "FINDING_HEADERS",
    "NO_PROBLEM_SHOWN",
    "OPEN",
    "ORGS",
    "PLACE_HEADERS",
    "PROBLEM_FILES_LABEL",
    "REFUSED_COUNT",
    "SAMPLE_DIR",
    "SENDBACK_ALL",
    "SENDBACK_ALL_NAME",
    "SENDBACK_ANNOTATED",
    "SENDBACK_LIST",
    "STATUS_OK",
    "STATUS_REJECTED",
    "SUBMISSION_HEADERS",
    "UPLOAD_SHOW",
    "UPLOAD_TYPES",
    "WEAK",
    "Progress",
    "SaveReport",
    "UploadResult",
    "_attribute",
    "batch_findings",
    "category_options",
    "check_batch",
    "explainable",
    "explained_text",
    "explanation_of",
    "explanation_rows",
    "explanation_texts",
    "finding_key",
    "finding_label",
    "findings_table",
    "held_back_text",
    "is_blank",
    "load_samples_if_empty",
    "located_line",
    "picture",
    "problem_uploads",
    "process_uploads",
    "registered_elsewhere",
    "reinstated_text",
    "review_items",
    "sample_files",
    "save_each",
    "save_uploads",
    "select_findings",
    "select_uploads",
    "sendback",
    "sendback_zip",
    "some_names",
    "store_readable",
    "submissions_table",
    "unit_findings_table",
    "unit_in_name",
    "unit_options",
    "unit_table",
    "upload_label",
    "upload_summary",
    "upload_table",
    "warning_counts",
    "warning_counts_text",
]
