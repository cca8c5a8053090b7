"""One person, several cohorts: the one-active rule, confirmations, capacity, switching and moving."""

import itertools

import pytest
from sqlalchemy import func, select

from lms import accounts, enrollments
from lms.extensions import db
from lms.models import AuditEvent, Cohort, Enrollment, EnrollmentStatusChange, User
from tests.conftest import enroll_participant, login, make_cohort
from tests.conftest import make_user as _make_user

_numbers = itertools.count(1)


def make_user(*args, **kwargs):
    """Make a user with this file's own phone series (tests.conftest's counter is loaded twice)."""
    return _make_user(*args, phone=f"0856{next(_numbers):08d}", **kwargs)


def _select(client, cohort, ids, **extra):
    data = {"scope": "selected", "target": "selected", "reason": "Lolos seleksi", "enrollment_ids": ids, **extra}
    return client.post(f"/staf/kohort/{cohort.id}/peserta/status", data=data)


def _audit_count(action):
    return db.session.scalar(select(func.count()).where(AuditEvent.action == action))


def test_selecting_someone_active_elsewhere_needs_a_confirmation_naming_the_cohort(client, world):
    second = make_cohort("gelombang-2", name="Gelombang 2")
    registration = enroll_participant(world["participant"], second, status="registered")
    login(client, world["staff"])
    page = _select(client, second, [registration.id]).get_data(as_text=True)
    assert 'data-testid="selection-confirm"' in page
    assert "Peserta Satu" in page and "Kohort ftd-test (Aktif)" in page
    db.session.expire_all()
    assert registration.status == "registered"
    assert _select(client, second, [registration.id], confirm_elsewhere="y").status_code == 302
    db.session.expire_all()
    assert registration.status == "selected"
    assert _audit_count("cohort.select_elsewhere") == 1


def test_capacity_is_enforced_and_an_override_needs_a_reason(client, world):
    cohort = make_cohort("kecil", capacity=2)
    people = [enroll_participant(make_user(), cohort, status="registered") for _ in range(3)]
    login(client, world["staff"])
    page = _select(client, cohort, [e.id for e in people]).get_data(as_text=True)
    assert 'data-testid="capacity"' in page and "lebih 1" in page
    db.session.expire_all()
    assert all(e.status == "registered" for e in people)
    assert _select(client, cohort, [people[0].id, people[1].id]).status_code == 302  # fits exactly
    page = _select(client, cohort, [people[2].id]).get_data(as_text=True)
    assert "tersisa 0 tempat" in page
    response = _select(client, cohort, [people[2].id], override_reason="Pengganti peserta sakit")
    assert response.status_code == 302
    db.session.expire_all()
    assert people[2].status == "selected"
    override = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cohort.capacity_override"))
    assert override.after["reason"] == "Pengganti peserta sakit" and override.after["over_by"] == 1


def test_a_confirmation_sent_without_its_reason_or_tick_says_what_is_missing(client, world):
    cohort = make_cohort("kecil", capacity=1)
    people = [enroll_participant(make_user(), cohort, status="registered") for _ in range(2)]
    enroll_participant(world["other_participant"], cohort, status="registered")
    ids = [e.id for e in people] + [db.session.scalar(select(Enrollment.id).where(
        Enrollment.cohort_id == cohort.id, Enrollment.user_id == world["other_participant"].id))]
    login(client, world["staff"])
    first = _select(client, cohort, ids).get_data(as_text=True)
    assert 'data-testid="confirm-missing"' not in first and "Tulis alasan melebihi kapasitas" not in first
    # Lanjutkan pressed with the override reason empty and the box unticked: refused, and told why.
    page = _select(client, cohort, ids, confirming="1", override_reason="  ").get_data(as_text=True)
    assert 'data-testid="confirm-missing"' in page
    assert "Tulis alasan melebihi kapasitas; tanpa alasan tidak ada yang dipilih." in page
    assert "Centang kotak ini untuk memilih orang yang sudah terpilih atau aktif di kohort lain." in page
    # The tick alone is kept and the reason is still asked for.
    page = _select(client, cohort, ids, confirming="1", confirm_elsewhere="y").get_data(as_text=True)
    assert 'name="confirm_elsewhere" value="y" checked' in page and "Centang kotak ini" not in page
    assert "Tulis alasan melebihi kapasitas" in page
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(Enrollment.cohort_id == cohort.id,
                                                        Enrollment.status == "selected")) == 0


def test_bulk_selection_on_all_filtered_also_respects_capacity(client, world):
    cohort = make_cohort("kecil", capacity=1)
    for _ in range(2):
        enroll_participant(make_user(), cohort, status="registered")
    login(client, world["staff"])
    page = client.post(f"/staf/kohort/{cohort.id}/peserta/status", data={
        "scope": "filtered", "target": "selected", "reason": "Semua"}).get_data(as_text=True)
    assert 'data-testid="capacity"' in page
    assert db.session.scalar(select(func.count()).where(Enrollment.cohort_id == cohort.id,
                                                        Enrollment.status == "selected")) == 0


def test_a_person_is_active_in_one_course_run_at_a_time(world):
    second = make_cohort("gelombang-2")
    selected = enroll_participant(world["participant"], second, status="selected")
    with pytest.raises(enrollments.OneActiveRuleError):
        enrollments.change_status(selected, "active", changed_by=None)
    db.session.rollback()
    assert selected.status == "selected"


def test_activation_lands_in_the_cohort_that_selected_them(app):
    first = make_cohort("gelombang-1", name="Gelombang 1")
    later = make_cohort("gelombang-3", name="Gelombang 3")
    user = make_user(password=None)
    enroll_participant(user, first, status="selected")
    enroll_participant(user, later, status="registered")  # newer, but only registered
    issued = accounts.issue_activation_code(user, created_by=None)
    db.session.commit()
    accounts.activate_account(user.phone, issued.display, "rahasia-sekali-123")
    db.session.expire_all()
    current = user.current_enrollment()
    assert current.cohort.name == "Gelombang 1" and current.status == "active"
    assert current.history[-1].reason == "Akun diaktifkan"


def test_a_participant_switches_between_enrollments(client, world):
    second = make_cohort("gelombang-2", name="Gelombang 2")
    other = enroll_participant(world["participant"], second, status="registered")
    login(client, world["participant"])
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="switch-enrollment"' in home and "Gelombang 2 (Terdaftar)" in home
    assert client.post("/kohort-saya", data={"enrollment_id": other.id}).status_code == 302
    db.session.expire_all()
    assert world["participant"].current_enrollment().id == other.id
    # Someone else's enrollment is not theirs to choose.
    assert client.post("/kohort-saya", data={"enrollment_id": world["other_enrollment"].id}).status_code == 404


def test_staff_move_a_person_between_cohorts_with_history(client, world):
    second = make_cohort("gelombang-2", name="Gelombang 2")
    login(client, world["staff"])
    user = world["participant"]
    page = client.get(f"/staf/pengguna/{user.id}").get_data(as_text=True)
    assert "Pindahkan ke kohort lain" in page
    response = client.post(f"/staf/pengguna/{user.id}/pindah-kohort", data={
        "enrollment_id": world["enrollment"].id, "cohort_id": second.id, "reason": "Jadwal bentrok"})
    assert response.status_code == 302
    db.session.expire_all()
    assert world["enrollment"].status == "withdrawn"
    moved = db.session.scalar(select(Enrollment).where(Enrollment.cohort_id == second.id,
                                                       Enrollment.user_id == user.id))
    assert moved.status == "active"
    reasons = [c.reason for c in db.session.scalars(select(EnrollmentStatusChange).where(
        EnrollmentStatusChange.enrollment_id.in_([moved.id, world["enrollment"].id])))]
    assert any("Dipindah ke Gelombang 2: Jadwal bentrok" in r for r in reasons)
    assert any("Dipindah dari Kohort ftd-test" in r for r in reasons)
    assert _audit_count("enrollment.move") == 1
    # Moving again into a cohort where they already are is refused with a message.
    again = client.post(f"/staf/pengguna/{user.id}/pindah-kohort", data={
        "enrollment_id": moved.id, "cohort_id": world["cohort"].id, "reason": "Balik"}, follow_redirects=True)
    assert "sudah terdaftar di kohort Kohort ftd-test" in again.get_data(as_text=True)


def test_moving_someone_elses_enrollment_is_404(client, world):
    login(client, world["staff"])
    response = client.post(f"/staf/pengguna/{world['participant'].id}/pindah-kohort", data={
        "enrollment_id": world["other_enrollment"].id, "cohort_id": world["cohort"].id, "reason": "x"})
    assert response.status_code == 404


def test_only_participants_switch(client, world):
    login(client, world["mentor"])
    assert client.post("/kohort-saya", data={"enrollment_id": world["enrollment"].id}).status_code == 404


def test_demo_seed_has_a_person_in_two_cohorts_and_criteria_on_gelombang_2(app):
    from lms import seed
    from lms.staff import demo

    seed.seed_demo()
    seed.seed_demo()  # idempotent
    cohort = db.session.scalar(select(Cohort).where(Cohort.slug == demo.CURATION_COHORT_SLUG))
    assert cohort.capacity == 10 and cohort.curation_criteria["regency_quota"]["1275"] == 2
    user = db.session.scalar(select(User).where(User.phone == "+6281200000001"))
    assert sorted(e.status for e in user.enrollments) == ["active", "registered"]
    assert user.current_enrollment().status == "active"
