"""Staff create accounts, hand out activation codes and deactivate accounts."""

from urllib.parse import unquote

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import ActivationCode, AuditEvent, Enrollment, User
from tests.conftest import login

NEW_PARTICIPANT = {
    "name": "Bu Tiurma", "phone": "0813 9000 1111", "email": "", "role": "participant",
    "business_name": "Tenun Tiurma", "regency_code": "1205",
}


def test_staff_creates_participant_and_sees_code_once(client, world):
    login(client, world["staff"])
    form = NEW_PARTICIPANT | {"cohort_id": str(world["cohort"].id)}
    response = client.post("/staf/pengguna/baru", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    user = db.session.scalar(select(User).where(User.phone == "+6281390001111"))
    assert user.password_hash is None and user.profile.regency_code == "1205"
    assert db.session.scalar(select(Enrollment.status).where(Enrollment.user_id == user.id)) == "registered"
    assert "https://wa.me/6281390001111?text=" in page
    code = page.split('data-testid="activation-code">')[1].split("<")[0]
    assert code.replace("-", "") not in str(db.session.scalar(select(ActivationCode.code_hash)))
    whatsapp_text = unquote(page.split("https://wa.me/6281390001111?text=")[1].split('"')[0])
    assert code in whatsapp_text and "Bu Tiurma" in whatsapp_text


def test_duplicate_phone_is_refused_and_input_kept(client, world):
    login(client, world["staff"])
    taken = world["participant"].phone
    form = NEW_PARTICIPANT | {"phone": taken.replace("+62", "0"), "cohort_id": "0"}
    page = client.post("/staf/pengguna/baru", data=form).get_data(as_text=True)
    assert "sudah terdaftar" in page
    assert 'value="Bu Tiurma"' in page
    assert db.session.scalar(select(func.count(User.id)).where(User.name == "Bu Tiurma")) == 0


def test_malformed_phone_is_refused(client, world):
    login(client, world["staff"])
    page = client.post("/staf/pengguna/baru", data=NEW_PARTICIPANT | {"phone": "12345", "cohort_id": "0"})
    assert "Nomor HP tidak valid" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id)).where(User.name == "Bu Tiurma")) == 0


def test_deactivating_an_account_is_audited_and_blocks_login(client, world, app):
    login(client, world["staff"])
    participant_id = world["participant"].id
    response = client.post(f"/staf/pengguna/{participant_id}/status", data={"active": "0"})
    assert response.status_code == 302
    assert db.session.get(User, participant_id).active is False
    assert db.session.scalar(select(AuditEvent.after).where(AuditEvent.action == "user.set_active")) == {
        "active": False}
    other = app.test_client()
    assert "dinonaktifkan" in login(other, world["participant"]).get_data(as_text=True)


def test_staff_cannot_deactivate_themselves(client, world):
    login(client, world["staff"])
    client.post(f"/staf/pengguna/{world['staff'].id}/status", data={"active": "0"})
    assert db.session.get(User, world["staff"].id).active is True


def test_user_search_by_name_and_phone(client, world):
    login(client, world["staff"])
    assert "Peserta Satu" in client.get("/staf/pengguna?q=Satu").get_data(as_text=True)
    local = world["participant"].phone.replace("+62", "0")
    page = client.get(f"/staf/pengguna?q={local}").get_data(as_text=True)
    assert "Peserta Satu" in page and "Peserta Dua" not in page
