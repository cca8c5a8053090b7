"""Staff console: cohorts, curation, activation codes, dashboard, awards, exports and the audit log."""

import csv
import io
import itertools
import re
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, func, select

from lms import progress
from lms.extensions import db
from lms.models import (
    AuditEvent,
    Cohort,
    Enrollment,
    EnrollmentStatusChange,
    ModuleRead,
    QuizAttempt,
    QuizVersion,
    Review,
    Role,
    Submission,
    TopAward,
    utcnow,
)
from lms.staff.dashboard import queries as dashboard
from lms.staff.exports import datasets as exports
from lms.staff.ranking import awards
from tests.conftest import enroll_participant, login, make_cohort, make_user, shipped_module_ids

# --- Cohorts -----------------------------------------------------------------------------

COHORT_FORM = {
    "name": "FTD 2027 Gelombang 1", "slug": "ftd-2027-1", "course_id": "ftd-umkm", "start_date": "2027-02-01",
    "bootcamp_date": "2027-02-15", "graduation_date": "2027-03-15", "capacity": "850",
}


def test_staff_creates_a_cohort(client, world):
    login(client, world["staff"])
    response = client.post("/staf/kohort/baru", data=COHORT_FORM)
    assert response.status_code == 302
    cohort = db.session.scalar(select(Cohort).where(Cohort.slug == "ftd-2027-1"))
    assert (cohort.capacity, cohort.graduation_date) == (850, date(2027, 3, 15))
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "cohort.create")) == 1
    listing = client.get("/staf/kohort").get_data(as_text=True)
    assert "FTD 2027 Gelombang 1" in listing


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"slug": "ftd-test"}, "Slug ini sudah dipakai kohort lain."),
        ({"slug": "FTD 2027!"}, "Pakai huruf kecil"),
        ({"graduation_date": "2027-02-10"}, "Tanggal kelulusan tidak boleh sebelum tanggal bootcamp."),
        ({"bootcamp_date": "2027-01-01"}, "Tanggal bootcamp tidak boleh sebelum tanggal mulai."),
        ({"course_id": "tidak-ada"}, "Pilihan tidak tersedia."),
        ({"capacity": "0"}, "Kapasitas harus antara 1 dan 100.000."),
    ],
)
def test_bad_cohort_input_is_refused_and_kept(client, world, change, message):
    login(client, world["staff"])
    response = client.post("/staf/kohort/baru", data=COHORT_FORM | change)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert 'value="FTD 2027 Gelombang 1"' in page
    assert db.session.scalar(select(func.count()).select_from(Cohort)) == 1


def test_editing_keeps_its_own_slug(client, world):
    login(client, world["staff"])
    cohort = world["cohort"]
    data = COHORT_FORM | {"slug": cohort.slug, "name": "Nama Baru"}
    assert client.post(f"/staf/kohort/{cohort.id}/ubah", data=data).status_code == 302
    db.session.expire_all()
    assert cohort.name == "Nama Baru"
    event_row = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cohort.update"))
    assert event_row.before["name"] == "Kohort ftd-test" and event_row.after["name"] == "Nama Baru"


# --- Curation ----------------------------------------------------------------------------


_phones = itertools.count(1)


def registrants(cohort, n=3, regency="1275", sector="kuliner"):
    people = [make_user(name=f"Pendaftar {regency}-{i}", phone=f"0819{next(_phones):08d}", regency_code=regency,
                        sector=sector, password=None)
              for i in range(n)]
    return [enroll_participant(p, cohort, status="registered") for p in people]


def test_filters_narrow_the_list(client, world):
    cohort = world["cohort"]
    registrants(cohort, 2, regency="1212")
    registrants(cohort, 1, regency="1211", sector="jasa")
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{cohort.id}/peserta?kabupaten=1212&status=registered").get_data(as_text=True)
    assert "Pendaftar 1212-0" in page and "Pendaftar 1211-0" not in page and "Peserta Satu" not in page
    page = client.get(f"/staf/kohort/{cohort.id}/peserta?bidang=jasa").get_data(as_text=True)
    assert "Pendaftar 1211-0" in page and "Pendaftar 1212-0" not in page


def test_bulk_status_change_with_reason_keeps_history(client, world):
    cohort = world["cohort"]
    chosen = registrants(cohort, 3)
    login(client, world["staff"])
    response = client.post(f"/staf/kohort/{cohort.id}/peserta/status", data={
        "enrollment_ids": [str(e.id) for e in chosen[:2]] + [str(world["enrollment"].id)],
        "target": "selected", "reason": "Lolos seleksi wawancara", "scope": "selected",
    })
    assert response.status_code == 302
    db.session.expire_all()
    assert [e.status for e in chosen] == ["selected", "selected", "registered"]
    assert world["enrollment"].status == "active"  # active → selected is not allowed: skipped
    change = db.session.scalar(select(EnrollmentStatusChange).where(
        EnrollmentStatusChange.enrollment_id == chosen[0].id, EnrollmentStatusChange.to_status == "selected"))
    assert change.reason == "Lolos seleksi wawancara" and change.changed_by_id == world["staff"].id


def test_bulk_status_on_all_filtered(client, world):
    cohort = world["cohort"]
    medan = registrants(cohort, 2, regency="1275")
    karo = registrants(cohort, 1, regency="1211")
    login(client, world["staff"])
    client.post(f"/staf/kohort/{cohort.id}/peserta/status", data={
        "target": "withdrawn", "reason": "Tidak hadir", "scope": "filtered", "kabupaten": "1211",
    })
    db.session.expire_all()
    assert [e.status for e in medan + karo] == ["registered", "registered", "withdrawn"]


def test_bulk_status_needs_a_reason_and_ignores_other_cohorts(client, world):
    cohort = world["cohort"]
    other = make_cohort(slug="lain")
    foreign = registrants(other, 1)[0]
    login(client, world["staff"])
    client.post(f"/staf/kohort/{cohort.id}/peserta/status",
                data={"enrollment_ids": [str(foreign.id)], "target": "selected", "reason": "", "scope": "selected"})
    client.post(f"/staf/kohort/{cohort.id}/peserta/status",
                data={"enrollment_ids": [str(foreign.id)], "target": "selected", "reason": "x", "scope": "selected"})
    db.session.expire_all()
    assert foreign.status == "registered"


def test_activation_codes_are_fresh_and_audited(client, world):
    cohort = world["cohort"]
    accepted = registrants(cohort, 2)
    for enrollment in accepted:
        enrollment.status = "selected"
    db.session.commit()
    login(client, world["staff"])
    refused = client.post(f"/staf/kohort/{cohort.id}/kode-aktivasi", data={"purpose": "csv"})
    assert refused.status_code == 302
    response = client.post(f"/staf/kohort/{cohort.id}/kode-aktivasi", data={"purpose": "csv", "confirm": "y"})
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Nama", "Nomor HP", "Kode aktivasi", "Berlaku sampai", "Tautan WhatsApp"]
    assert len(rows) == 3  # the two accepted, not-yet-activated registrants; active participants already have passwords
    assert rows[1][4].startswith("https://wa.me/62")
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "user.activation_code")) == 2
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "cohort.activation_codes")) == 1
    page = client.post(f"/staf/kohort/{cohort.id}/kode-aktivasi", data={"purpose": "whatsapp", "confirm": "y"})
    shown = page.get_data(as_text=True)
    assert shown.count("Kirim lewat WhatsApp") == 2
    assert not re.search(r"<td>\d{4}-\d{2}-\d{2}</td>", shown)  # the expiry reads "9 Des 2026", not ISO
    assert re.search(r"<td>\d{1,2} [A-Z][a-z]{2} \d{4}</td>", shown)


# --- Dashboard ---------------------------------------------------------------------------


def add_progress(enrollment, mentor, module_id="orientasi", score=90.0, accepted=True):
    """Give a participant a read, a submitted quiz attempt and a reviewed submission."""
    user_id = enrollment.user_id
    version = db.session.scalar(select(QuizVersion).where(QuizVersion.module_id == module_id))
    if version is None:
        version = QuizVersion(module_id=module_id, version="v1", snapshot={})
        db.session.add(version)
        db.session.flush()
    db.session.add(ModuleRead(user_id=user_id, module_id=module_id, module_version="v1"))
    db.session.add(QuizAttempt(user_id=user_id, course_id="ftd-umkm", module_id=module_id, quiz_version_id=version.id,
                               number=1, choice_order={}, submitted_at=utcnow(), score=score, passed=score >= 70))
    submission = Submission(user_id=user_id, enrollment_id=enrollment.id, module_id=module_id,
                            assignment_version="v1", assignment_snapshot={}, version_no=1,
                            client_token=uuid.uuid4().hex, status="accepted" if accepted else "submitted")
    db.session.add(submission)
    db.session.flush()
    if accepted:
        db.session.add(Review(submission_id=submission.id, mentor_id=mentor.id, decision="accepted", scores={},
                              total_points=6, max_points=8, waited_hours=3.0))
    # What the real writers (mark read, grading, review) add to the dashboard's summary.
    progress.record_read(user_id, module_id, utcnow())
    progress.record_quiz_score(user_id, module_id, score)
    if accepted:
        progress.record_accepted(user_id, module_id, utcnow())
    db.session.commit()


def count_queries(app, client, url):
    statements = []

    def before(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert response.status_code == 200
    return statements, response.get_data(as_text=True)


def test_dashboard_shows_funnel_modules_regencies_mentors_and_risk(client, world):
    cohort = world["cohort"]
    add_progress(world["enrollment"], world["mentor"])
    registrants(cohort, 2, regency="1212")
    world["other_participant"].last_seen_at = utcnow() - timedelta(days=30)
    db.session.commit()
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{cohort.id}").get_data(as_text=True)
    assert page.count('data-label="Kode BPS">12') == 33  # every regency and city, by BPS code
    assert "<svg" in page and "style=" not in page
    assert "Mentor Satu" in page and "Mentor Dua" in page
    assert "Peserta Dua" in page.split("Peserta berisiko")[1]
    board = dashboard.cohort_dashboard(cohort)
    assert board.funnel["registered"] == 2 and board.funnel["active"] == 2
    orientasi = next(m for m in board.modules if m.module_id == "orientasi")
    assert (orientasi.read, orientasi.quiz_passed, orientasi.assignment_accepted) == (1, 1, 1)
    medan = next(r for r in board.regencies if r.code == "1275")
    steps_in_course = 3 * len(shipped_module_ids())  # read, quiz, assignment per module
    assert medan.learners == 1 and medan.steps_done == 3 and medan.percent == round(100 * 3 / steps_in_course)
    assert board.at_risk_count == 1


def test_progress_figures_are_cached_briefly_but_the_funnel_is_live(app, client, world):
    cohort = world["cohort"]
    login(client, world["staff"])
    client.get(f"/staf/kohort/{cohort.id}")
    add_progress(world["enrollment"], world["mentor"])
    registrants(cohort, 1)
    board = dashboard.cohort_dashboard(cohort)
    assert board.funnel["registered"] == 1  # live
    assert next(m for m in board.modules if m.module_id == "orientasi").read == 0  # cached
    app.config["DASHBOARD_CACHE_SECONDS"] = 0
    assert next(m for m in dashboard.cohort_dashboard(cohort).modules if m.module_id == "orientasi").read == 1


def test_dashboard_query_count_does_not_grow_with_participants(app, client, world):
    app.config["DASHBOARD_CACHE_SECONDS"] = 0  # measure the queries, not the per-process cache
    cohort = world["cohort"]
    login(client, world["staff"])
    add_progress(world["enrollment"], world["mentor"])
    client.get(f"/staf/kohort/{cohort.id}")  # the first request also loads the content and refreshes the session
    small, _page = count_queries(app, client, f"/staf/kohort/{cohort.id}")
    for enrollment in registrants(cohort, 25, regency="1201"):
        enrollment.status = "active"
        db.session.commit()
        add_progress(enrollment, world["other_mentor"], score=95.0)
    large, page = count_queries(app, client, f"/staf/kohort/{cohort.id}")
    assert len(large) == len(small)
    assert "Kabupaten Nias" in page


# --- Ranking and awards ------------------------------------------------------------------


def test_ranking_orders_by_score_and_awards_are_audited(client, world):
    cohort = world["cohort"]
    add_progress(world["enrollment"], world["mentor"], score=60.0)
    add_progress(world["other_enrollment"], world["other_mentor"], score=100.0)
    rows = awards.cohort_ranking(cohort)
    assert [r.ranked.entry.enrollment_id for r in rows] == [world["other_enrollment"].id, world["enrollment"].id]
    login(client, world["staff"])
    client.post(f"/staf/kohort/{cohort.id}/peringkat/terbaik",
                data={"enrollment_ids": [str(world["other_enrollment"].id)], "reason": "Uji"})
    award = db.session.scalar(select(TopAward))
    assert (award.enrollment_id, award.rank_at_award) == (world["other_enrollment"].id, 1)
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "top_award.create")) == 1
    # Marking again changes nothing; another cohort's award cannot be removed through this cohort.
    client.post(f"/staf/kohort/{cohort.id}/peringkat/terbaik",
                data={"enrollment_ids": [str(world["other_enrollment"].id)], "reason": "Uji"})
    assert db.session.scalar(select(func.count()).select_from(TopAward)) == 1
    other = make_cohort(slug="lain")
    assert client.post(f"/staf/kohort/{other.id}/peringkat/terbaik/{award.id}/hapus").status_code == 404
    assert client.post(f"/staf/kohort/{cohort.id}/peringkat/terbaik/{award.id}/hapus").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(TopAward)) == 0


def test_awards_stop_at_one_hundred(app, world):
    cohort = world["cohort"]
    people = registrants(cohort, 3)
    for enrollment in people:
        enrollment.status = "active"
    db.session.commit()
    for index, enrollment in enumerate([world["enrollment"], world["other_enrollment"], *people][:2]):
        db.session.add(TopAward(cohort_id=cohort.id, enrollment_id=enrollment.id, rank_at_award=index + 1))
    db.session.commit()
    original = awards.ranking.TOP_AWARD_LIMIT
    with pytest.raises(awards.AwardNeedsReason):  # none of them has completed anything
        awards.mark_awardees(cohort, [e.id for e in people], awarded_by=world["staff"])
    created = awards.mark_awardees(cohort, [e.id for e in people], awarded_by=world["staff"], reason="Uji")
    assert len(created) == min(3, original - 2)


# --- Exports -----------------------------------------------------------------------------


def test_csv_cells_that_look_like_formulas_are_neutralized():
    data = exports.Dataset(["Nama"], [["=HYPERLINK(\"x\")"], ["+62812"], ["-1"], ["@SUM(A1)"], ["\tx"], ["Aman"], [5]])
    rows = list(csv.reader(io.StringIO(exports.to_csv(data).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"x\")", "'+62812", "'-1", "'@SUM(A1)", "'\tx", "Aman", "5"]


def test_xlsx_keeps_formula_text_as_text():
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(exports.Dataset(["Nama"], [["=1+1"], [7]]), "Uji")))
    sheet = workbook.active
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == 7
    workbook.close()


@pytest.mark.parametrize("dataset", ["peserta", "kemajuan", "nilai", "sertifikat", "peringkat"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_export_downloads_with_indonesian_headers(client, world, dataset, fmt):
    add_progress(world["enrollment"], world["mentor"])
    world["participant"].name = "=cmd|' /C calc'!A0"
    db.session.commit()
    login(client, world["staff"])
    response = client.get(f"/staf/kohort/{world['cohort'].id}/ekspor/{dataset}.{fmt}")
    assert response.status_code == 200
    assert f"ftd-test-{dataset}.{fmt}" in response.headers["Content-Disposition"]
    if fmt == "csv":
        text = response.get_data(as_text=True)
        assert text.startswith("\ufeff")
        assert "\n=cmd" not in text and ",=cmd" not in text
        header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    else:
        workbook = load_workbook(io.BytesIO(response.data), read_only=True)
        header = [cell for cell in next(workbook.active.iter_rows(values_only=True))]
        workbook.close()
    assert header[0] in {"Nama", "Nomor sertifikat", "Peringkat"}


def test_participants_export_lists_status_and_mentor(client, world):
    login(client, world["staff"])
    text = client.get(f"/staf/kohort/{world['cohort'].id}/ekspor/peserta.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Peserta Satu"][5] == "Kota Medan"
    assert by_name["Peserta Satu"][8] == "Aktif" and by_name["Peserta Satu"][9] == "Mentor Satu"


# --- Audit log ---------------------------------------------------------------------------


def test_audit_log_filters_by_action_actor_object_and_date(client, world):
    cohort = world["cohort"]
    chosen = registrants(cohort, 1)[0]
    login(client, world["staff"])
    client.post(f"/staf/kohort/{cohort.id}/peserta/status",
                data={"enrollment_ids": [str(chosen.id)], "target": "selected", "reason": "Lolos", "scope": "selected"})
    page = client.get("/staf/audit?action=enrollment.status").get_data(as_text=True)
    assert "Lolos" in page and "user.create" not in page.split("audit-table")[1]
    assert "Lolos" in client.get("/staf/audit?actor=Staf+Satu").get_data(as_text=True)
    assert "Lolos" not in client.get("/staf/audit?actor=Mentor+Satu").get_data(as_text=True)
    assert "Lolos" in client.get(f"/staf/audit?object_type=Enrollment&object_id={chosen.id}").get_data(as_text=True)
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()  # the filter reads dates in WIB
    assert "Lolos" in client.get(f"/staf/audit?date_from={today}&date_to={today}").get_data(as_text=True)
    assert "Lolos" not in client.get("/staf/audit?date_to=2020-01-01").get_data(as_text=True)


# --- Demo seed ---------------------------------------------------------------------------


def test_demo_seed_is_idempotent_and_leaves_ftd_demo_alone(app):
    from lms import seed

    seed.seed_demo()
    statuses = db.session.execute(select(Enrollment.id, Enrollment.status).order_by(Enrollment.id)).all()
    seed.seed_demo()
    assert db.session.execute(select(Enrollment.id, Enrollment.status).order_by(Enrollment.id)).all() == statuses
    demo = db.session.scalar(select(Cohort).where(Cohort.slug == "ftd-demo"))
    # The 20 participants stay active; the impact demo adds registrants never selected (its comparison group).
    assert {e.status for e in demo.enrollments if e.user.phone.startswith("+62812")} == {"active"}
    assert {e.status for e in demo.enrollments if not e.user.phone.startswith("+62812")} == {"registered"}
    curation = db.session.scalar(select(Cohort).where(Cohort.slug == "kurasi-demo"))
    assert {e.status for e in curation.enrollments} == {"registered", "selected"}
    assert dashboard.cohort_dashboard(demo).at_risk_count >= 1


def test_mentor_and_participant_cannot_open_the_console(client, world):
    login(client, world["mentor"])
    assert client.get(f"/staf/kohort/{world['cohort'].id}").status_code == 403
    assert make_user(Role.PARTICIPANT) is not None


# --- season: phones in activation codes, frozen headers, widths -----------------------------


def test_activation_codes_phones_have_no_visible_apostrophe(client, world):
    cohort = world["cohort"]
    accepted = registrants(cohort, 1)
    accepted[0].status = "selected"
    db.session.commit()
    login(client, world["staff"])
    response = client.post(f"/staf/kohort/{cohort.id}/kode-aktivasi", data={"purpose": "csv", "confirm": "y"})
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][1].startswith("08") and "'" not in rows[1][1]
    response = client.post(f"/staf/kohort/{cohort.id}/kode-aktivasi", data={"purpose": "xlsx", "confirm": "y"})
    sheet = load_workbook(io.BytesIO(response.data)).active
    phone_cell = sheet["B2"]
    assert phone_cell.data_type == "s" and phone_cell.value.startswith("08") and "'" not in phone_cell.value
    assert sheet.freeze_panes == "A2"


def test_every_xlsx_export_freezes_its_header_and_sizes_its_columns(client, world):
    login(client, world["staff"])
    for dataset in exports.DATASETS:
        response = client.get(f"/staf/kohort/{world['cohort'].id}/ekspor/{dataset}.xlsx")
        sheet = load_workbook(io.BytesIO(response.data)).active
        assert sheet.freeze_panes == "A2", dataset
        widths = [sheet.column_dimensions[letter].width for letter in "AB"]
        assert all(exports.MIN_WIDTH <= w <= exports.MAX_WIDTH for w in widths), dataset


def test_column_widths_follow_the_longest_value_within_bounds():
    data = exports.Dataset(["No", "Nama"], [["1", "x" * 100], ["22", "Butet"]])
    assert exports.column_widths(data) == [exports.MIN_WIDTH, exports.MAX_WIDTH]
    assert exports.column_widths(exports.Dataset(["Kabupaten/kota"], [["Medan"]])) == [16]


# --- season: top awards per programme year ------------------------------------------------


def test_top_awards_are_limited_per_programme_year_across_cohorts(app, world):
    app.config["TOP_AWARDS_PER_YEAR"] = 2
    cohort = world["cohort"]
    same_year = make_cohort("gelombang-2", name="Gelombang 2")  # make_cohort starts in 2026 too
    next_year = make_cohort("ftd-2027", name="FTD 2027")
    next_year.start_date = date(2027, 2, 1)
    db.session.commit()
    for target in (same_year, same_year):
        person = enroll_participant(make_user(phone=f"0819{next(_phones):08d}"), target)
        db.session.add(TopAward(cohort_id=target.id, enrollment_id=person.id, rank_at_award=1))
    db.session.commit()
    assert awards.awards_in_year(2026) == 2
    created = awards.mark_awardees(cohort, [world["enrollment"].id], awarded_by=world["staff"], reason="Uji")
    assert created == []  # the year's two places are taken in Gelombang 2
    late = enroll_participant(make_user(phone=f"0819{next(_phones):08d}"), next_year)
    created = awards.mark_awardees(next_year, [late.id], awarded_by=world["staff"], reason="Uji")
    assert len(created) == 1


def test_marking_a_weak_participant_warns_and_needs_a_reason(client, world):
    cohort = world["cohort"]
    login(client, world["staff"])
    page = client.post(f"/staf/kohort/{cohort.id}/peringkat/terbaik",
                       data={"enrollment_ids": [str(world["enrollment"].id)]}).get_data(as_text=True)
    assert 'data-testid="award-confirm"' in page
    assert "belum memenuhi semua syarat lulus" in page and "skor di bawah batas" in page
    assert db.session.scalar(select(func.count()).select_from(TopAward)) == 0
    response = client.post(f"/staf/kohort/{cohort.id}/peringkat/terbaik",
                           data={"enrollment_ids": [str(world["enrollment"].id)], "reason": "Usaha sangat menonjol"})
    assert response.status_code == 302
    event_row = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "top_award.create"))
    assert event_row.after["reason"] == "Usaha sangat menonjol" and "incomplete" in event_row.after["warnings"]


def test_top_awardees_export_has_contact_data(client, world):
    world["participant"].email = "butet@example.com"
    world["participant"].profile.instagram_url = "https://instagram.com/bikaambon"
    db.session.add(TopAward(cohort_id=world["cohort"].id, enrollment_id=world["enrollment"].id, rank_at_award=3,
                            score_at_award=88.5))
    db.session.commit()
    login(client, world["staff"])
    response = client.get(f"/staf/kohort/{world['cohort'].id}/ekspor/terbaik.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["Nama"] == "Peserta Satu" and row["Email"] == "butet@example.com"
    assert row["Instagram"] == "https://instagram.com/bikaambon" and row["Nomor HP"].startswith("08")
    assert sheet.freeze_panes == "A2"
    csv_rows = list(csv.reader(io.StringIO(
        client.get(f"/staf/kohort/{world['cohort'].id}/ekspor/terbaik.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert csv_rows[1][3] == "Peserta Satu"
