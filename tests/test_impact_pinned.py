"""The report's figures on a realistic generated cohort, pinned to what the first version computed.

The cohort (about 600 people) has zero baselines, missing endlines, corrected answers
(several versions), drafts, skipped questions, outliers, follow-ups, a comparison
group, withdrawn and selected enrollments, every regency and sector and people
without a profile. tests/data/impact_pinned.json holds every figure the staff page,
the PDF/XLSX, the cross-cohort view and `lms impact report --json` print, as the
original straightforward Python computed them before the report was made fast; any
rewrite has to give the same numbers on SQLite and PostgreSQL. Regenerate only on
purpose: `IMPACT_PIN_WRITE=1 pytest tests/test_impact_pinned.py`.
"""

import json
import os
import random
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select

from lms.extensions import db
from lms.impact import queries
from lms.impact.outputs import indicator_rows
from lms.models import Cohort, Enrollment, ParticipantProfile, SurveyResponse, User
from lms.regions import REGENCIES

PINNED = Path(__file__).parent / "data" / "impact_pinned.json"
SIZE = 600
CHANNELS = ["whatsapp", "instagram", "facebook", "offline", "shopee", "tokopedia", "tiktok-shop", "ekatalog",
            "padi-umkm", "bela-pengadaan", "gofood", "grabfood"]
LEGALITY = ["nib", "pirt", "halal", "bpom", "merek"]
LIKERT = ["pola-konten", "pola-pelanggan", "pola-data", "pola-online"]
SECTOR_IDS = ["kuliner", "kriya", "pertanian", "jasa", "perdagangan", "lainnya", ""]


def _answers(rng: random.Random, revenue: int | None, *, wave: str) -> dict:
    answers = {}
    if revenue is not None:
        answers["omzet"] = revenue
    if rng.random() > 0.05:
        answers["karyawan"] = rng.randint(0, 12)
    if rng.random() > 0.05:
        pool = CHANNELS if wave != "baseline" else CHANNELS[:5] + CHANNELS[7:8]
        answers["kanal"] = sorted(rng.sample(pool, rng.randint(0, 3)))
    if rng.random() > 0.05:
        answers["legalitas"] = sorted(rng.sample(LEGALITY, rng.randint(0, 2 if wave == "baseline" else 4)))
    for item in LIKERT:
        if rng.random() > 0.08:
            answers[item] = rng.randint(1, 5)
    return answers


def _revenue_pair(rng: random.Random, number: int) -> tuple[int | None, int | None]:
    kind = number % 23
    base = rng.choice([0, 150_000, 400_000, 750_000, 1_000_000, 1_500_000, 2_500_000, 4_000_000, 7_500_000,
                       12_000_000, rng.randint(1, 30) * 125_000])
    if kind == 0:
        return 0, rng.randint(0, 8) * 250_000  # zero baseline
    if kind == 1:
        return base or 50_000, (base or 50_000) * (12 + number % 40) + number  # an extreme rise, distinct
    if kind == 2:
        return (base or 1_000_000) + number * 1000, number * 7  # an extreme drop, distinct
    if kind == 3:
        return None, base  # revenue skipped at baseline
    if kind == 4:
        return base, None  # skipped at endline
    return base, int(base * rng.uniform(0.5, 3.2)) + rng.randint(0, 40) * 25_000


def build_pinned_cohort(slug: str = "ftd-pinned") -> Cohort:
    """Insert the generated cohort (deterministic: the same people and answers on every database)."""
    rng = random.Random(15)  # noqa: S311 - reproducible test data, not secrets
    cohort = Cohort(name="Kohort Pinned 2025", slug=slug, course_id="ftd-umkm", start_date=date(2025, 3, 3),
                    bootcamp_date=date(2025, 3, 31), graduation_date=date(2025, 4, 28))
    db.session.add(cohort)
    db.session.flush()
    phones = [f"+62859{n:07d}" for n in range(SIZE)]
    db.session.execute(insert(User), [{"name": f"Peserta {n}", "phone": phone, "role": "participant"}
                                      for n, phone in enumerate(phones)])
    ids = dict(db.session.execute(select(User.phone, User.id).where(User.phone.in_(phones))).all())
    profiles, enrollments, responses = [], [], []
    for n, phone in enumerate(phones):
        uid = ids[phone]
        if n % 37 != 5:  # a few people never filled in a profile
            profiles.append({"user_id": uid, "business_name": f"Usaha {n}", "sector": SECTOR_IDS[n % 7],
                             "regency_code": "" if n % 41 == 3 else REGENCIES[(n * 7) % len(REGENCIES)].code})
        status = ("registered" if n % 5 == 0 else "withdrawn" if n % 29 == 1 else "selected" if n % 31 == 2
                  else "graduated" if n % 3 == 0 else "active")
        enrollments.append({"cohort_id": cohort.id, "user_id": uid, "status": status})
        base, end = _revenue_pair(rng, n)
        waves = []
        if n % 17 != 4:
            waves.append(("baseline", base))
        if n % 9 != 7:
            waves.append(("endline", end))
        if n % 2:
            waves.append(("followup-3", None if end is None else end + rng.randint(0, 10) * 50_000))
        if n % 6 == 1:
            waves.append(("followup-6", None if end is None else int(end * rng.uniform(0.8, 1.6))))
        for wave, revenue in waves:
            versions = 2 if n % 13 == 0 else 1  # a correction: the newest version counts
            for version in range(1, versions + 1):
                value = revenue if version == versions or revenue is None else revenue * 10
                responses.append({"user_id": uid, "cohort_id": cohort.id, "wave": wave, "version_no": version,
                                  "status": "submitted", "survey_id": "dampak-umkm", "survey_version": 1,
                                  "source": "import", "answers": _answers(rng, value, wave=wave)})
            if n % 19 == 0:  # an open draft never counts
                responses.append({"user_id": uid, "cohort_id": cohort.id, "wave": wave, "version_no": versions + 1,
                                  "status": "draft", "survey_id": "dampak-umkm", "survey_version": 1,
                                  "source": "self", "answers": _answers(rng, 999_999_999, wave=wave)})
    db.session.execute(insert(ParticipantProfile), profiles)
    db.session.execute(insert(Enrollment), enrollments)
    db.session.execute(insert(SurveyResponse), responses)
    db.session.commit()
    return cohort


def _plain(value):
    """Tuples as lists and label objects as their text, so the figures compare with the stored JSON."""
    return json.loads(json.dumps(value, default=lambda item: getattr(item, "code", None) or str(item)))


def current_figures(app, runner, cohort: Cohort) -> dict:
    """Every figure as each output reads it: page (with groups and charts' inputs), PDF/XLSX rows, compare, CLI."""
    survey = queries.current_survey()
    with app.test_request_context():
        page = queries.report_page(cohort, survey)
        labels = {q.id: q.text for q in survey.by_measure("pola_pikir")}
        rows = [[str(label), value, n] for label, value, n in indicator_rows(page["overall"], labels)]
        figures = {
            "page": {key: page[key] for key in ("overall", "waves", "distribution")},
            "by_regency": [[regency.code, group] for regency, group in page["by_regency"]],
            "by_sector": [[str(label), group] for label, group in page["by_sector"]],
            "indicator_rows": rows,
            "compare": queries.cohort_figures(cohort, survey),
        }
    cli = {}
    for name, extra in (("all", []), ("regency", ["--regency", REGENCIES[4].code]), ("sector", ["--sector", "jasa"]),
                        ("both", ["--regency", REGENCIES[11].code, "--sector", "kuliner"])):
        result = runner.invoke(args=["lms", "impact", "report", "--cohort", cohort.slug, "--json", *extra])
        assert result.exit_code == 0, result.output
        cli[name] = json.loads(result.output)
        # The knowledge test's figures (lms/knowledge) are not survey figures: tests/test_knowledge.py pins them.
        cli[name].pop("knowledge_gain", None)
        # Each wave on its own respondents (waves): the page's per-wave figures, printed for the whole cohort only.
        assert cli[name].pop("waves", None) == (_plain(page["waves"]) if name == "all" else None), name
    figures["cli"] = cli
    return _plain(figures)


def test_every_report_figure_matches_the_pinned_values(app, runner):
    cohort = build_pinned_cohort()
    figures = current_figures(app, runner, cohort)
    if os.environ.get("IMPACT_PIN_WRITE"):
        PINNED.write_text(json.dumps(figures, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    # The data really has the edge cases the figures are meant to survive.
    overall = pinned["page"]["overall"]
    assert overall["excluded_zero_baseline"] > 5 and len(overall["extreme_changes"]) > 20
    assert overall["comparison"]["respondents_endline"] > 50 and overall["revenue_paired"] > overall["revenue_n"]
    for key in pinned:
        assert figures[key] == pinned[key], key
