"""Issue #15 §1 "baseline ... at first login for imported participants": the home page asks for it."""

from datetime import timedelta

from sqlalchemy import select

from lms import accounts
from lms.extensions import db
from lms.impact.queries import wib_today
from lms.models import Enrollment, SurveyResponse, User, utcnow
from tests.conftest import make_cohort


def test_an_imported_participant_is_asked_for_the_baseline_at_first_login(runner, client, tmp_path):
    today = wib_today(utcnow())
    cohort = make_cohort("uji-awal")  # opens in a week: the baseline is open until the bootcamp
    cohort.start_date, cohort.bootcamp_date = today + timedelta(days=7), today + timedelta(days=21)
    cohort.graduation_date = today + timedelta(days=49)
    db.session.commit()
    path = tmp_path / "pendaftar.csv"
    path.write_text("Nama Lengkap,No HP,Kabupaten/Kota,Nama Usaha,Bidang Usaha\n"
                    "Rina Tarigan,0813-7700-0901,Kota Medan,Kopi Rina,Kuliner\n", encoding="utf-8")
    result = runner.invoke(args=["lms", "registrants", "import", "--cohort", "uji-awal", str(path)])
    assert result.exit_code == 0 and "Imported: 1 new" in result.output, result.output
    user = db.session.scalar(select(User).where(User.phone == "+6281377000901"))
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id))
    enrollment.status = "selected"  # as curation does; the import itself leaves them "Terdaftar"
    issued = accounts.issue_activation_code(user, created_by=None)
    db.session.commit()

    first = client.post("/aktivasi", data={"phone": "0813-7700-0901", "code": issued.display, "password": "pertama-123",
                                           "confirm": "pertama-123"}, follow_redirects=True)
    home = client.get("/").get_data(as_text=True)
    assert first.status_code == 200 and 'id="survei-terbuka"' in home
    assert 'href="/survei/baseline"' in home.split('id="survei-terbuka"', 1)[1].split("</section>", 1)[0]

    answered = client.post("/survei/baseline", data={"aksi": "kirim", "omzet": "1,5 juta", "karyawan": "1",
                                                    "kanal--dijawab": "1", "kanal": ["whatsapp"],
                                                    "legalitas--dijawab": "1"})
    assert answered.status_code == 302
    assert 'href="/survei/baseline"' not in client.get("/").get_data(as_text=True)
    stored = db.session.scalar(select(SurveyResponse).where(SurveyResponse.cohort_id == cohort.id))
    assert (stored.wave, stored.status, stored.answers["omzet"]) == ("baseline", "submitted", 1_500_000)
