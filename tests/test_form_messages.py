"""WTForms' built-in messages speak the page's language on every form (lms/forms.py).

A crafted POST (or a paste past `maxlength`) with an over-long value, a non-integer or a forged choice
gets an Indonesian message on an Indonesian page and an English one on an English page, and changes nothing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask_babel import force_locale
from flask_wtf.file import FileField, FileSize
from sqlalchemy import func, select

from lms import PROJECT_ROOT
from lms.extensions import db
from lms.forms import TRANSLATIONS, WTFORMS_MESSAGES, BaseForm
from lms.models import AuditEvent, BootcampSession, Cohort, Enrollment, User
from tests.conftest import login

LONG = "x" * 501
TOO_LONG = {"id": "Paling banyak %s karakter.", "en": "At most %s characters."}
NOT_INTEGER = {"id": "Isi dengan bilangan bulat.", "en": "Enter a whole number."}
NOT_A_CHOICE = {"id": "Pilihan tidak tersedia.", "en": "That option is not available."}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def profile_state(world):
    user = db.session.get(User, world["participant"].id)
    db.session.refresh(user)
    return user.name, user.profile.address


def session_count(world):
    return count(BootcampSession)


def statuses(world):
    return sorted(db.session.scalars(select(Enrollment.status)))


@dataclass
class Case:
    name: str
    role: str
    method: str
    url: Callable[[dict], str]
    data: Callable[[dict], dict]
    expected: list[tuple[dict, int | None]]  # (message in both locales, its number or None)
    state: Callable[[dict], object]


PROFILE = {"email": "", "business_name": "Usaha", "sector": "kuliner", "regency_code": "1275", "district": "",
           "instagram_url": "", "facebook_url": "", "tiktok_url": "", "marketplace_url": "", "website_url": ""}
COHORT = {"slug": "kohort-baru", "course_id": "ftd-umkm", "start_date": "2026-01-05", "bootcamp_date": "2026-02-05",
          "graduation_date": "2026-03-05"}
SESSION = {"day": "2026-11-16", "start_time": "10:00", "end_time": "12:00", "venue_name": "Aula",
           "late_after_minutes": "15", "checkin_opens_minutes": "60"}

CASES = [
    Case("participant profile", "participant", "post", lambda w: "/akun/profil",
         lambda w: PROFILE | {"name": "x" * 121, "address": LONG},
         [(TOO_LONG, 120), (TOO_LONG, 300)], profile_state),
    Case("staff cohort form", "staff", "post", lambda w: "/staf/kohort/baru",
         lambda w: COHORT | {"name": "x" * 121, "capacity": "abc", "signatory1_title": LONG},
         [(TOO_LONG, 120), (NOT_INTEGER, None), (TOO_LONG, 160)], lambda w: count(Cohort)),
    Case("staff account form", "staff", "post", lambda w: "/staf/pengguna/baru",
         lambda w: {"name": "x" * 121, "phone": "081234567890", "role": "forged", "cohort_id": "999999",
                    "business_name": LONG, "regency_code": ""},
         [(TOO_LONG, 120), (TOO_LONG, 160), (NOT_A_CHOICE, None)], lambda w: count(User)),
    Case("bootcamp session form", "staff", "post", lambda w: f"/staf/kohort/{w['cohort'].id}/sesi/baru",
         lambda w: SESSION | {"title": "x" * 201, "capacity": "abc", "module_id": "forged", "speaker": LONG},
         [(TOO_LONG, 200), (NOT_INTEGER, None), (NOT_A_CHOICE, None), (TOO_LONG, 160)], session_count),
    Case("curation bulk status", "staff", "post", lambda w: f"/staf/kohort/{w['cohort'].id}/peserta/status",
         lambda w: {"target": "forged", "reason": LONG, "scope": "selected",
                    "enrollment_ids": str(w["enrollment"].id)},
         [(TOO_LONG, 300), (NOT_A_CHOICE, None)], statuses),
    Case("ranking award", "staff", "post", lambda w: f"/staf/kohort/{w['cohort'].id}/peringkat/terbaik",
         lambda w: {"enrollment_ids": str(w["enrollment"].id), "reason": LONG},
         [(TOO_LONG, 300)], lambda w: count(AuditEvent)),
    Case("audit filter", "staff", "get", lambda w: "/staf/audit",
         lambda w: {"actor": "x" * 81, "object_id": "y" * 41},
         [(TOO_LONG, 80), (TOO_LONG, 40)], lambda w: None),
]


def expected_text(message: dict, number: int | None, locale: str) -> str:
    text = message[locale]
    return text % number if number is not None else text


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_bad_values_get_messages_in_the_pages_language_and_change_nothing(client, world, case, locale):
    login(client, world[case.role])
    with client.session_transaction() as session:
        session["lang"] = locale
    before = case.state(world)
    if case.method == "post":
        response = client.post(case.url(world), data=case.data(world), follow_redirects=True)
    else:
        response = client.get(case.url(world), query_string=case.data(world))
    page = response.get_data(as_text=True)
    for message, number in case.expected:
        assert expected_text(message, number, locale) in page, (case.name, message[locale])
    assert "Field cannot be longer" not in page and "Not a valid" not in page
    assert case.state(world) == before


def test_every_wtforms_message_has_an_english_translation_and_keeps_its_placeholders(app):
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    for english in WTFORMS_MESSAGES:
        with app.test_request_context():
            with force_locale("id"):
                indonesian = TRANSLATIONS.gettext(english)
            with force_locale("en"):
                translated = TRANSLATIONS.gettext(english)
        assert indonesian != english and indonesian != translated, english
        assert set(placeholder.findall(english)) == set(placeholder.findall(indonesian))
        assert set(placeholder.findall(english)) == set(placeholder.findall(translated))
    # A string WTForms asks for that is not one of its messages (a default label) passes through.
    assert TRANSLATIONS.gettext("Csrf Token") == "Csrf Token"
    with app.test_request_context():
        plural = TRANSLATIONS.ngettext("Field cannot be longer than %(max)d character.",
                                       "Field cannot be longer than %(max)d characters.", 2)
    assert plural == "Paling banyak %(max)d karakter."


def test_every_form_in_lms_derives_from_the_translated_base():
    offenders = []
    for path in sorted(Path(PROJECT_ROOT / "lms").rglob("*.py")):
        if path.name == "forms.py" and path.parent.name == "lms":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"\bFlaskForm\b|^from wtforms import .*\bForm\b|\bwtforms\.Form\b", source, re.M):
            offenders.append(str(path.relative_to(PROJECT_ROOT)))
    assert offenders == []
    assert issubclass(BaseForm, object) and BaseForm.Meta.get_translations(None, None) is TRANSLATIONS


class UploadForm(BaseForm):
    """A form with Flask-WTF's FileSize validator and no message of its own, as an upload form would have."""

    document = FileField("Berkas", validators=[FileSize(max_size=100 * 1024)])
    scan = FileField("Pindaian", validators=[FileSize(min_size=1024, max_size=1536 * 1024)])


FILE_SIZE = {"id": ["Berkas terlalu besar. Paling besar 100 KB.", "Ukuran berkas harus antara 1 KB dan 1,5 MB."],
             "en": ["File too large. At most 100 KB.", "The file must be between 1 KB and 1.5 MB."]}


@pytest.mark.parametrize("locale", ["id", "en"])
def test_an_oversize_upload_gets_the_file_size_message_in_the_pages_language(app, locale):
    # Bodies stay under werkzeug's 500 KB spooling threshold: a bigger one becomes a temporary file left open.
    data = {"document": (io.BytesIO(b"x" * (100 * 1024 + 1)), "laporan.pdf"),
            "scan": (io.BytesIO(b"x" * 10), "ktp.jpg")}
    with app.test_request_context("/", method="POST", data=data, content_type="multipart/form-data"), \
            force_locale(locale):
        form = UploadForm(meta={"csrf": False})
        assert not form.validate()
        assert form.document.errors == [FILE_SIZE[locale][0]]
        assert form.scan.errors == [FILE_SIZE[locale][1]]
        assert "bytes" not in str(form.errors)
    # A file within the limits passes.
    ok = {"document": (io.BytesIO(b"x" * 2048), "laporan.pdf"), "scan": (io.BytesIO(b"x" * 2048), "ktp.jpg")}
    with app.test_request_context("/", method="POST", data=ok, content_type="multipart/form-data"), \
            force_locale(locale):
        assert UploadForm(meta={"csrf": False}).validate()

