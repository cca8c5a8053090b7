"""Forms of the outreach page: per-regency targets and a new referral code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from lms import regions
from lms.choices import select_choices
from lms.forms import BaseForm
from lms.outreach import rules

TARGET_MAX = 100_000


def target_field_name(code: str) -> str:
    return f"target_{code}"


class TargetsFormBase(BaseForm):
    def targets(self) -> dict[str, int | None]:
        """Return regency code → target (None: no target)."""
        return {r.code: getattr(self, target_field_name(r.code)).data for r in regions.REGENCIES}


def _make_targets_form() -> type[BaseForm]:
    fields = {
        target_field_name(r.code): IntegerField(
            r.label, validators=[Optional(), NumberRange(min=0, max=TARGET_MAX,
                                                         message=_l("Isi angka 0 sampai %(n)s.", n=TARGET_MAX))])
        for r in regions.REGENCIES
    }
    return type("TargetsForm", (TargetsFormBase,), fields)


TargetsForm = _make_targets_form()


def known_regency(_form, field) -> None:
    if field.data and field.data not in regions.REGENCY_BY_CODE:
        raise ValidationError(_l("Kabupaten/kota tidak dikenal. Pilih dari daftar."))


def valid_code(_form, field) -> None:
    if field.data and not rules.is_valid_code(rules.normalize_code(field.data)):
        raise ValidationError(_l("Kode hanya huruf, angka dan tanda hubung (3–32 karakter), "
                                 "tidak diawali atau diakhiri tanda hubung."))


class ReferralCodeForm(BaseForm):
    label = StringField(_l("Nama kantor atau acara"), validators=[
        DataRequired(_l("Nama kantor atau acara wajib diisi.")),
        Length(max=120, message=_l("Paling banyak %(n)s karakter.", n=120))])
    regency_code = SelectField(_l("Kabupaten/kota"), validate_choice=False, validators=[known_regency])
    code = StringField(_l("Kode (boleh kosong: dibuat otomatis)"), validators=[
        Optional(), Length(max=32, message=_l("Paling banyak %(n)s karakter.", n=32)), valid_code])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.regency_code.choices = select_choices([("", "–"), *((r.code, r.label) for r in regions.REGENCIES)])
