"""Demo data for registration: the demo cohort's window is open, and a few people registered by the form.

Safe to run again: the window is set only while it is empty, and a registered phone is a duplicate.
"""

from __future__ import annotations

from datetime import timedelta

from lms.extensions import db
from lms.models import Cohort
from lms.registration import operations, queries

# (phone, name, business, sector, BPS regency, district, heard from, baseline answers)
FORM_REGISTRANTS = [
    ("081300000001", "Fatolosa Harefa", "Keripik Pisang Harefa", "kuliner", "1224", "Lotu", "dinas",
     {"omzet": 1_500_000, "karyawan": 0, "kanal": ["offline", "whatsapp"], "legalitas": [], "pola-konten": 2,
      "pola-pelanggan": 3}),
    ("081300000002", "Rosdiana Pasaribu", "Tenun Pasaribu", "kriya", "1204", "Barus", "sosialisasi",
     {"omzet": 3_000_000, "karyawan": 2, "kanal": ["whatsapp", "facebook"], "legalitas": ["nib"],
      "pola-konten": 3, "pola-pelanggan": 4}),
    ("081300000003", "Amri Nasution", "Salak Sidimpuan Amri", "pertanian", "1202", "Panyabungan", "whatsapp",
     {"omzet": 6_500_000, "karyawan": 3, "kanal": ["offline", "shopee", "tiktok-shop"], "legalitas": ["nib", "pirt"],
      "pola-konten": 4, "pola-pelanggan": 4}),
]


def seed_demo(cohort: Cohort) -> None:
    """Open the demo cohort's registration window around today and register three people through the form."""
    if cohort.registration_opens_on is None:
        today = queries.wib_today()
        cohort.registration_opens_on = today - timedelta(days=7)
        cohort.registration_closes_on = today + timedelta(days=30)
        db.session.commit()
    survey, _questions = queries.baseline_survey()
    for phone, name, business, sector, regency, district, heard_from, answers in FORM_REGISTRANTS:
        operations.register(cohort, operations.Registrant(
            phone=f"+62{phone[1:]}", name=name, business_name=business, sector=sector, regency_code=regency,
            district=district, heard_from=heard_from, referral_code="", answers=answers), survey)
