"""Writes of the outreach area: targets per regency and referral codes, each with an audit row."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from lms import audit
from lms.database import write_transaction
from lms.extensions import db
from lms.models import Cohort, ReferralCode, RegencyTarget, User
from lms.outreach import rules
from lms.regions import REGENCY_BY_CODE


class ReferralCodeError(ValueError):
    """A code that cannot be used; the message is for the person who typed it."""


def set_targets(cohort: Cohort, wanted: dict[str, int | None], *, set_by: User) -> int:
    """Store the cohort's per-regency targets (None or 0 removes one); return how many changed."""
    with write_transaction():
        existing = {t.regency_code: t for t in db.session.scalars(
            select(RegencyTarget).where(RegencyTarget.cohort_id == cohort.id))}
        before = {code: t.target for code, t in existing.items()}
        for code, value in wanted.items():
            if code not in REGENCY_BY_CODE:
                continue
            current = existing.get(code)
            if not value:
                if current is not None:
                    db.session.delete(current)
            elif current is None:
                db.session.add(RegencyTarget(cohort_id=cohort.id, regency_code=code, target=value))
            elif current.target != value:
                current.target = value
        after = {code: value for code, value in wanted.items() if value and code in REGENCY_BY_CODE}
        changed = sum(1 for code in set(before) | set(after) if before.get(code) != after.get(code))
        if changed:
            audit.record("outreach.targets_set", cohort, actor=set_by,
                         before={"targets": before}, after={"targets": after})
    return changed


def create_referral_code(cohort: Cohort, *, label: str, regency_code: str | None, typed_code: str,
                         created_by: User) -> ReferralCode:
    """Add a referral code to the cohort (made from the regency's name when none is typed)."""
    with write_transaction():
        taken = set(db.session.scalars(select(ReferralCode.code).where(ReferralCode.cohort_id == cohort.id)))
        regency = REGENCY_BY_CODE.get(regency_code or "")
        if typed_code.strip():
            code = rules.normalize_code(typed_code)
            if not rules.is_valid_code(code):
                raise ReferralCodeError(_("Kode hanya huruf, angka dan tanda hubung (3–32 karakter)."))
            if code in taken:
                raise ReferralCodeError(_("Kode %(code)s sudah dipakai di kohort ini.", code=code))
        else:
            code = rules.suggest_code(label, regency.name if regency else None, taken)
        referral = ReferralCode(cohort_id=cohort.id, code=code, label=label.strip(),
                                regency_code=regency.code if regency else None, created_by_id=created_by.id)
        db.session.add(referral)
        db.session.flush()
        audit.record("outreach.referral_created", referral, actor=created_by,
                     after={"cohort_id": cohort.id, "code": code, "label": referral.label,
                            "regency_code": referral.regency_code})
    return referral
