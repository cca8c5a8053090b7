"""The impact report's figures, stored per cohort and recomputed only when what they come from has changed.

Computing the report reads every person's newest answers (250,000 JSON documents
for a cohort of 100,000) and takes tens of seconds; the page must answer in under
one. So the figures are computed by the same pure functions as before
(lms/impact/indicators.py, through report.figures_for), stored as JSON text in
`impact_report_snapshot`, and read back by the page, the PDF, the XLSX, the
comparison across cohorts and the CLI. JSON text keeps every float exactly
(repr round-trips) and the order of keys, so a stored figure is the computed one.

Freshness is not left to every writer remembering to say so: every write through a
SQLAlchemy Session bumps the cohort's change counts in its own transaction
(lms/impact/changes.py), and each read compares a stamp of those counts (one
primary-key read), the survey definition, the course's knowledge items the cohort's waves
(its follow-up months) and FIGURES_FORMAT with the stored one. The stamp has two parts: when only knowledge
test results changed, only the knowledge section is recomputed (seconds, not minutes).
A write that bypasses the Session (raw SQL on a connection) must call
`changes.note` itself. Writers also queue
`impact.refresh_report` (after a submission, once after an import), so the
worker recomputes before the next reader has to.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.choices import SECTORS
from lms.content.surveyparse import Survey
from lms.extensions import db
from lms.impact import changes
from lms.impact.indicators import revenue_distribution, wave_summary
from lms.impact.report import (
    PAIRED_WAVES,
    cohort_people,
    figures_for,
    impact_report,
    report_waves,
)
from lms.knowledge import report as knowledge_report
from lms.knowledge.queries import tests_signature
from lms.models import (
    Cohort,
    ImpactReportSnapshot,
    utcnow,
)
from lms.regions import REGENCIES

FIGURES_FORMAT = 4  # bump when what is stored (or how it is computed) changes: every snapshot is then stale
REFRESH_TASK = "impact.refresh_report"
log = logging.getLogger(__name__)


def input_stamps(cohort: Cohort, survey: Survey) -> tuple[str, str]:
    """(survey figures, knowledge section): digests of the cohort's change counts and what is not in the database.

    One primary-key read (lms/impact/changes.py counts every committed change to the inputs).
    """
    survey_count, knowledge_count = changes.counts(cohort.id)
    figures = hashlib.sha256(repr((FIGURES_FORMAT, cohort.id, cohort.slug, cohort.name, report_waves(cohort),
                                   survey, survey_count)).encode()).hexdigest()
    knowledge = hashlib.sha256(repr((FIGURES_FORMAT, cohort.id, tests_signature(cohort),
                                     knowledge_count)).encode()).hexdigest()
    return figures, knowledge


def combined(stamps: tuple[str, str]) -> str:
    return hashlib.sha256("|".join(stamps).encode()).hexdigest()


def input_stamp(cohort: Cohort, survey: Survey) -> str:
    """The stamp the stored figures (and the kept PDF's key) carry: both parts of `input_stamps`."""
    return combined(input_stamps(cohort, survey))


def compute_figures(cohort: Cohort, survey: Survey) -> dict:
    """Every figure of the report, unrounded: the cohort, per wave, per regency and per sector."""
    # Reading 100,000 people makes a million small objects and none of them is garbage: the cyclic
    # collector would walk the growing heap again and again (it doubled the time), so it waits.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _compute_figures(cohort, survey)
    finally:
        if collecting:
            gc.enable()


def _compute_figures(cohort: Cohort, survey: Survey) -> dict:
    participants, comparison = cohort_people(cohort, survey)
    return {
        "overall": figures_for(participants, comparison),
        "waves": wave_summary(participants, report_waves(cohort)),
        "distribution": {wave: revenue_distribution(participants, wave) for wave in PAIRED_WAVES},
        "by_regency": grouped(participants, comparison, "regency_code", [regency.code for regency in REGENCIES]),
        "by_sector": grouped(participants, comparison, "sector", [key for key, _label in SECTORS]),
        "knowledge": knowledge_report.stored_gain(cohort),  # the knowledge pre/post test, unrounded (or None)
    }


def grouped(participants, comparison, attribute: str, keys: list[str]) -> dict[str, dict]:
    """Figures per group, splitting the people once (not once per group: 33 regencies × 100,000 people)."""
    split: dict[str, tuple[list, list]] = {key: ([], []) for key in keys}
    for side, people in enumerate((participants, comparison)):
        for person in people:
            bucket = split.get(getattr(person, attribute))
            if bucket is not None:
                bucket[side].append(person)
    return {key: figures_for(*split[key]) for key in keys}


def current_figures(cohort: Cohort, survey: Survey) -> tuple[str, dict]:
    """Return (stamp, figures): the stored figures when still fresh, else recomputed (and stored) now.

    The counts are read before anything is computed, so a change committed meanwhile
    leaves the stored stamp behind (recomputed again next time), never ahead.
    """
    stamps = input_stamps(cohort, survey)
    stamp = combined(stamps)
    stored = db.session.execute(select(ImpactReportSnapshot.stamp, ImpactReportSnapshot.figures)
                                .where(ImpactReportSnapshot.cohort_id == cohort.id)).first()
    if stored is not None and stored.stamp == stamp:
        return stamp, json.loads(stored.figures)
    return stamp, store_figures(cohort, stamp, fresh_figures(cohort, survey, stamps, stored))


def fresh_figures(cohort: Cohort, survey: Survey, stamps: tuple[str, str], stored) -> dict:
    """Recompute what is stale: only the knowledge section when the survey figures' part of the stamp still holds."""
    kept = json.loads(stored.figures) if stored is not None else None
    if kept is not None and kept.get("stamps", {}).get("survey") == stamps[0]:
        figures = {**kept, "knowledge": knowledge_report.stored_gain(cohort)}
    else:
        figures = compute_figures(cohort, survey)
    figures["stamps"] = {"survey": stamps[0], "knowledge": stamps[1]}
    return figures


def report_figures(cohort: Cohort, survey: Survey, *, regency_code: str = "", sector: str = "") -> dict:
    """What `lms impact report` prints: report.impact_report's figures, read from the snapshot when unfiltered.

    A filter by regency and sector together is not stored, so it is computed from the answers.
    """
    if regency_code and sector:
        return impact_report(cohort, survey, regency_code=regency_code, sector=sector)
    _stamp, figures = current_figures(cohort, survey)
    if regency_code:
        chosen = figures["by_regency"].get(regency_code)
    elif sector:
        chosen = figures["by_sector"].get(sector)
    else:
        chosen = figures["overall"]
    if chosen is None:  # a code no group has: nobody matches it, which the live path says best
        return impact_report(cohort, survey, regency_code=regency_code, sector=sector)
    return {"cohort": cohort.slug, **chosen}


def store_figures(cohort: Cohort, stamp: str, figures: dict) -> dict:
    """Keep freshly computed figures (and drop the PDF made from older ones); return them as stored."""
    text = json.dumps(figures, ensure_ascii=False, allow_nan=False)
    cohort_id = cohort.id
    session = db.session()
    if session.in_transaction():
        session.commit()  # what the caller read so far is finished; the cache write is a transaction of its own
    try:
        snapshot = db.session.get(ImpactReportSnapshot, cohort_id)
        if snapshot is None:
            snapshot = ImpactReportSnapshot(cohort_id=cohort_id)
            db.session.add(snapshot)
        snapshot.stamp, snapshot.figures, snapshot.computed_at = stamp, text, utcnow()
        snapshot.pdf_key, snapshot.pdf = "", None
        db.session.commit()
    except IntegrityError:  # another request stored the same cohort's figures first: theirs are as good
        db.session.rollback()
        log.info("impact figures of cohort %s stored by a concurrent request", cohort_id)
    return json.loads(text)


def refresh(cohort: Cohort, survey: Survey) -> str:
    """Recompute a cohort's stored figures unless they are still fresh (the queue task's body)."""
    stamps = input_stamps(cohort, survey)
    stamp = combined(stamps)
    stored = db.session.execute(select(ImpactReportSnapshot.stamp, ImpactReportSnapshot.figures)
                                .where(ImpactReportSnapshot.cohort_id == cohort.id)).first()
    if stored is not None and stored.stamp == stamp:
        return "already fresh"
    store_figures(cohort, stamp, fresh_figures(cohort, survey, stamps, stored))
    return "recomputed"


def schedule_refresh(cohort_id: int) -> None:
    """Ask the worker to recompute a cohort's figures (in tests it runs now)."""
    from lms.queue import enqueue

    enqueue(REFRESH_TASK, cohort_id)


def stored_pdf(cohort: Cohort, key: str) -> bytes | None:
    """The PDF kept for these figures and this key (locale, templates), if any."""
    row = db.session.execute(select(ImpactReportSnapshot.pdf_key, ImpactReportSnapshot.pdf)
                             .where(ImpactReportSnapshot.cohort_id == cohort.id)).first()
    return row.pdf if row is not None and row.pdf is not None and row.pdf_key == key else None


def store_pdf(cohort: Cohort, stamp: str, key: str, body: bytes) -> None:
    """Keep a rendered PDF next to the figures it shows (only if they are still the stored ones)."""
    session = db.session()
    if session.in_transaction():
        session.commit()
    snapshot = db.session.get(ImpactReportSnapshot, cohort.id)
    if snapshot is not None and snapshot.stamp == stamp:
        snapshot.pdf_key, snapshot.pdf = key, body
        db.session.commit()
