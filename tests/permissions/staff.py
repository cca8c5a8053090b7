"""Permission-matrix rows for the staff console (cohorts, imports, curation, dashboard, ranking, exports, audit).

Columns: anonymous, participant, other participant, mentor, other mentor, staff.
Every page refuses participants and mentors (403) and sends anonymous visitors to log in.
"""

from pathlib import Path

from flask import current_app

from lms.extensions import db
from lms.models import ImportBatch, TopAward

STAFF_ONLY_GET = (302, 403, 403, 403, 403, 200)
STAFF_ONLY_POST_FORM = (302, 403, 403, 403, 403, 200)  # an empty POST re-renders the form with errors
STAFF_ONLY_POST_REDIRECT = (302, 403, 403, 403, 403, 302)

ROWS = {
    ("staff.cohorts_list", "GET"): STAFF_ONLY_GET,
    ("staff.create_cohort", "GET"): STAFF_ONLY_GET,
    ("staff.create_cohort", "POST"): STAFF_ONLY_POST_FORM,
    ("staff.edit_cohort", "GET"): STAFF_ONLY_GET,
    # Flask-WTF reads an empty POST as "no form data", so the stored values are saved again unchanged.
    ("staff.edit_cohort", "POST"): STAFF_ONLY_POST_REDIRECT,
    ("staff.cohort_dashboard", "GET"): STAFF_ONLY_GET,
    ("staff.import_registrants", "GET"): STAFF_ONLY_GET,
    ("staff.import_registrants", "POST"): STAFF_ONLY_POST_FORM,
    ("staff.import_mapping", "GET"): STAFF_ONLY_GET,
    ("staff.import_mapping", "POST"): STAFF_ONLY_POST_FORM,
    ("staff.import_preview", "GET"): STAFF_ONLY_GET,
    ("staff.run_import", "POST"): STAFF_ONLY_POST_REDIRECT,
    ("staff.import_progress", "GET"): STAFF_ONLY_GET,
    ("staff.curation_list", "GET"): STAFF_ONLY_GET,
    ("staff.bulk_status", "POST"): STAFF_ONLY_POST_REDIRECT,
    ("staff.activation_codes", "POST"): STAFF_ONLY_POST_REDIRECT,
    ("staff.ranking", "GET"): STAFF_ONLY_GET,
    ("staff.mark_awardees", "POST"): STAFF_ONLY_POST_REDIRECT,
    ("staff.remove_award", "POST"): STAFF_ONLY_POST_REDIRECT,
    ("staff.exports_page", "GET"): STAFF_ONLY_GET,
    ("staff.export_file", "GET"): STAFF_ONLY_GET,
    ("staff.audit_events", "GET"): STAFF_ONLY_GET,
    # season: an empty POST names no enrollment of this person.
    ("staff.move_enrollment", "POST"): (302, 403, 403, 403, 403, 404),
    ("staff.curation_criteria", "GET"): STAFF_ONLY_GET,
    # An empty POST keeps the defaults: every field is optional, so the criteria are saved.
    ("staff.curation_criteria", "POST"): STAFF_ONLY_POST_REDIRECT,
    ("staff.select_best", "POST"): STAFF_ONLY_POST_REDIRECT,
    # Empty POSTs name no row of the batch.
    ("staff.choose_import_duplicate", "POST"): (302, 403, 403, 403, 403, 404),
    ("staff.fix_import_row", "POST"): (302, 403, 403, 403, 403, 404),
    ("staff.import_problems", "GET"): STAFF_ONLY_GET,
}

ENDPOINT_URL_VALUES = {
    "staff.export_file": {"dataset": "peserta", "fmt": "csv"},
}

SAMPLE_CSV = "Nama Lengkap,No. HP/WA,Kabupaten/Kota\nButet Sinaga,0812 7777 0001,Medan\n"


def extend_world(world) -> None:
    """Add a previewed import batch and a top award in the shared cohort."""
    root = Path(current_app.config["IMPORT_ROOT"])
    root.mkdir(parents=True, exist_ok=True)
    (root / "matrix.csv").write_text(SAMPLE_CSV, encoding="utf-8")
    batch = ImportBatch(cohort_id=world["cohort"].id, stored_name="matrix.csv", display_name="matrix.csv",
                        sha256="0" * 64, mapping={"name": 0, "phone": 1, "regency": 2}, status="uploaded",
                        report={"counts": {"rows": 1, "valid": 1, "with_errors": 0, "with_warnings": 0, "create": 1,
                                           "update": 0, "unchanged": 0, "skip": 0, "empty_rows": 0, "issues": {}},
                                "rows": [], "sample": []})
    award = TopAward(cohort_id=world["cohort"].id, enrollment_id=world["enrollment"].id, rank_at_award=1,
                     score_at_award=90.0)
    db.session.add_all([batch, award])
    db.session.commit()
    world["import_batch"], world["top_award"] = batch, award


def url_values(world) -> dict:
    """URL values of the staff console's own parameters."""
    values = {"cohort_id": world["cohort"].id}
    if "import_batch" in world:
        values["import_id"] = world["import_batch"].id
    if "top_award" in world:
        values["award_id"] = world["top_award"].id
    return values
