"""Forms of the certificates area."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, StringField, TextAreaField, ValidationError
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from lms.certificates.eligibility import KINDS
from lms.certificates.signatures import SignatureRejected, check_signature
from lms.forms import BaseForm, BaseGetForm


class ConfirmForm(BaseForm):
    """A POST that may need a second, confirmed submit (the confirm step works without JavaScript)."""

    confirmed = HiddenField(default="")

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed.data == "1"


class IssueForm(ConfirmForm):
    kind = HiddenField(default="graduation", validators=[AnyOf(KINDS, message=_l("Jenis sertifikat tidak dikenal."))])


class RevokeForm(ConfirmForm):
    reason = TextAreaField(_l("Alasan pencabutan"), validators=[
        DataRequired(_l("Tuliskan alasan pencabutan.")),
        Length(min=5, max=300, message=_l("Alasan 5 sampai 300 karakter.")),
    ])


class SignatureImageField(FileField):
    """An optional PNG/SVG upload, checked by its content; the checked bytes are kept in `.checked`."""

    checked: bytes | None = None

    def pre_validate(self, form) -> None:
        self.checked = None
        upload = self.data
        if not upload or not getattr(upload, "filename", ""):
            return
        data = upload.read(current_app.config["CERTIFICATE_SIGNATURE_MAX_BYTES"] + 1)
        try:
            check_signature(data, current_app.config["CERTIFICATE_SIGNATURE_MAX_BYTES"])
        except SignatureRejected as error:
            raise ValidationError(str(error)) from error
        self.checked = data


def _name(label):
    return StringField(label, validators=[DataRequired(_l("Nama penanda tangan wajib diisi.")),
                                          Length(max=120, message=_l("Nama paling panjang 120 karakter."))])


def _title(label):
    return StringField(label, validators=[
        Optional(), Length(max=160, message=_l("Jabatan paling panjang 160 karakter."))])


class SignatoriesForm(BaseForm):
    name1 = _name(_l("Nama penanda tangan 1"))
    title1 = _title(_l("Jabatan penanda tangan 1"))
    image1 = SignatureImageField(_l("Gambar tanda tangan 1 (PNG atau SVG)"))
    name2 = _name(_l("Nama penanda tangan 2"))
    title2 = _title(_l("Jabatan penanda tangan 2"))
    image2 = SignatureImageField(_l("Gambar tanda tangan 2 (PNG atau SVG)"))

    def people(self) -> list[tuple[str, str, bytes | None]]:
        """Return (name, title, checked image or None) for both signatories."""
        return [(self.name1.data.strip(), (self.title1.data or "").strip(), self.image1.checked),
                (self.name2.data.strip(), (self.title2.data or "").strip(), self.image2.checked)]


class ReissueForm(BaseForm):
    name = StringField(_l("Nama yang dicetak"), validators=[
        DataRequired(_l("Nama wajib diisi.")), Length(max=120, message=_l("Nama paling panjang 120 karakter.")),
    ])
    business_name = StringField(_l("Nama usaha yang dicetak"), validators=[
        Length(max=160, message=_l("Nama usaha paling panjang 160 karakter.")),
    ])


class VerifyForm(BaseGetForm):
    """The public code box; a GET form, so it changes nothing and needs no CSRF token."""

    code = StringField(_l("Kode verifikasi"), validators=[DataRequired(_l("Ketik kode verifikasi sertifikat."))])
