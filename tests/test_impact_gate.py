"""The endline gate: a cohort can require the endline survey before the certificate is issued or downloaded."""

import pytest

from lms.certificates import eligibility, operations
from lms.extensions import db
from lms.impact.operations import save_answers
from lms.models import Certificate
from tests.conftest import login
from tests.test_certificates import BEFORE_GRADUATION, complete_course
from tests.test_impact import answers, survey


@pytest.fixture(autouse=True)
def today_is_before_graduation(monkeypatch):
    monkeypatch.setattr(operations, "today_wib", lambda: BEFORE_GRADUATION)


def require_endline(world):
    world["cohort"].endline_required = True
    db.session.commit()


def test_without_the_gate_nothing_changes(world):
    complete_course(world["enrollment"])
    assert eligibility.enrollment_eligibility(world["enrollment"])[0].eligible


def test_the_gate_holds_the_certificate_until_the_endline_is_submitted(world):
    complete_course(world["enrollment"])
    require_endline(world)
    verdict, missing = eligibility.enrollment_eligibility(world["enrollment"])
    assert not verdict.eligible and any("Survei akhir belum diisi" in line for line in missing)
    overview = eligibility.cohort_overview(world["cohort"])
    row = next(r for r in overview.rows if r.enrollment.id == world["enrollment"].id)
    assert not row.eligible and "Survei akhir belum diisi" in " ".join(row.missing)
    with pytest.raises(operations.CertificateError):
        operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    save_answers(world["participant"], world["cohort"], "endline", survey(), answers(1), submit=False)
    assert not eligibility.enrollment_eligibility(world["enrollment"])[0].eligible  # a draft is not enough
    save_answers(world["participant"], world["cohort"], "endline", survey(), answers(1), submit=True)
    assert eligibility.enrollment_eligibility(world["enrollment"])[0].eligible
    assert operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"]).id


def test_home_says_so_and_an_earlier_certificate_waits_to_be_downloaded(client, world):
    complete_course(world["enrollment"])
    certificate = operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    require_endline(world)  # switched on after issuing: the download waits too
    login(client, world["participant"])
    home = client.get("/").get_data(as_text=True)
    assert "Syarat sertifikat: survei akhir" in home
    refused = client.get(f"/sertifikat/{certificate.id}/unduh")
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/survei")
    save_answers(world["participant"], world["cohort"], "endline", survey(), answers(1), submit=True)
    assert "Syarat sertifikat" not in client.get("/").get_data(as_text=True)
    response = client.get(f"/sertifikat/{certificate.id}/unduh")
    assert response.status_code == 200
    response.close()
    assert db.session.get(Certificate, certificate.id).status == "valid"


def test_staff_switch_the_gate_on_the_cohort_form(client, world):
    login(client, world["staff"])
    cohort = world["cohort"]
    page = client.get(f"/staf/kohort/{cohort.id}/ubah").get_data(as_text=True)
    assert 'name="endline_required"' in page
    data = {"name": cohort.name, "slug": cohort.slug, "course_id": cohort.course_id,
            "start_date": cohort.start_date.isoformat(), "bootcamp_date": cohort.bootcamp_date.isoformat(),
            "graduation_date": cohort.graduation_date.isoformat(), "endline_required": "y"}
    assert client.post(f"/staf/kohort/{cohort.id}/ubah", data=data).status_code == 302
    db.session.refresh(cohort)
    assert cohort.endline_required
