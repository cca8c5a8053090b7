"""The impact report's change counts: every kind of input change makes the stored figures stale, nothing else does.

Each change is made the way the app (or a careless script through the Session) makes
it; after it the stamp differs and the report read back equals the one computed
from the answers now.
"""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import column, delete, insert, select, table, update

from lms import create_app
from lms.enrollments import change_status
from lms.extensions import db
from lms.impact import changes, snapshot
from lms.impact.operations import save_answers
from lms.models import Cohort, ImpactInputCounter, ParticipantProfile, SurveyResponse, User
from tests.conftest import enroll_participant, make_cohort, make_user
from tests.test_impact import answers, build_cohort_with_comparison, survey
from tests.test_impact_snapshot import live, snap

UNSHARDED_REVISION = "im4a5b6c7d8e"  # one counter row per cohort


@pytest.fixture
def scratch_app(tmp_path):
    """An app on its own SQLite file, for walking the counter's migration down and up."""
    scratch = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'scratch.sqlite3'}"})
    with scratch.app_context():
        upgrade()
        yield scratch
        db.session.remove()
        db.engine.dispose()


def stamps(cohort):
    return snapshot.input_stamps(cohort, survey())


def assert_recomputed(cohort, before, **filters):
    """The change made the stamp's survey part new, and the figures read back are the live ones."""
    after = stamps(cohort)
    assert after[0] != before[0]
    assert snap(cohort, **filters) == live(cohort, **filters)
    assert snapshot.input_stamp(cohort, survey()) == db.session.scalar(
        select(snapshot.ImpactReportSnapshot.stamp).where(snapshot.ImpactReportSnapshot.cohort_id == cohort.id))
    return after


def test_every_kind_of_survey_input_change_makes_the_report_recompute(app):
    cohort, people = build_cohort_with_comparison()
    snap(cohort)
    before = stamps(cohort)
    # An answer through the operation, and one inserted in bulk through the Session.
    save_answers(people[0], cohort, "endline", survey(), answers(6_000_000), submit=True)
    before = assert_recomputed(cohort, before)
    db.session.execute(insert(SurveyResponse), [{
        "user_id": people[1].id, "cohort_id": cohort.id, "wave": "endline", "version_no": 9, "status": "submitted",
        "survey_id": "dampak-umkm", "survey_version": 1, "source": "import", "answers": answers(9_000_000)}])
    db.session.commit()
    before = assert_recomputed(cohort, before)
    # A response deleted in bulk, and one deleted as an object.
    newest = db.session.scalar(select(SurveyResponse).where(SurveyResponse.user_id == people[1].id)
                               .order_by(SurveyResponse.id.desc()).limit(1))
    db.session.execute(delete(SurveyResponse).where(SurveyResponse.id == newest.id))
    db.session.commit()
    before = assert_recomputed(cohort, before)
    db.session.delete(db.session.scalar(select(SurveyResponse).where(SurveyResponse.user_id == people[3].id,
                                                                     SurveyResponse.wave == "endline")))
    db.session.commit()
    before = assert_recomputed(cohort, before)
    # An enrollment's status, and a new enrollment.
    change_status(people[1].enrollments[0], "withdrawn", changed_by=None)
    db.session.commit()
    before = assert_recomputed(cohort, before)
    newcomer = make_user(regency_code="1271", sector="kuliner")
    enroll_participant(newcomer, cohort)
    before = assert_recomputed(cohort, before)


def test_people_and_cohort_edits_make_the_report_recompute(app):
    cohort, people = build_cohort_with_comparison()
    snap(cohort)
    before = stamps(cohort)
    people[0].profile.regency_code = "1201"  # an ORM edit
    db.session.commit()
    before = assert_recomputed(cohort, before, regency_code="1201")
    db.session.execute(update(ParticipantProfile).where(ParticipantProfile.user_id == people[2].id)
                       .values(sector="kriya"))  # a bulk UPDATE without updated_at: seen too
    db.session.commit()
    before = assert_recomputed(cohort, before, sector="kriya")
    people[3].phone = "+6281299990001"  # the extreme change is listed with the new phone
    db.session.commit()
    before = assert_recomputed(cohort, before)
    db.session.execute(update(User).where(User.id == people[3].id).values(phone="+6281299990002"))
    db.session.commit()
    before = assert_recomputed(cohort, before)
    assert [item["phone"] for item in snap(cohort)["extreme_changes"]] == ["+6281299990002"]
    cohort.name = "FTD Dampak (ganti nama)"
    db.session.commit()
    before = assert_recomputed(cohort, before)
    db.session.execute(update(Cohort).where(Cohort.id == cohort.id).values(slug="ftd-dampak-baru"))
    db.session.commit()
    db.session.refresh(cohort)
    before = assert_recomputed(cohort, before)
    assert snap(cohort)["cohort"] == "ftd-dampak-baru"


def test_erasure_and_self_registration_make_the_report_recompute(app):
    from lms.privacy.operations import erase_person
    from lms.registration.operations import Registrant, register

    cohort, people = build_cohort_with_comparison()
    snap(cohort)
    before = stamps(cohort)
    erase_person(people[0], erased_by=None, reason="test")
    before = assert_recomputed(cohort, before)
    person = Registrant(phone="+6281299990003", name="Pendaftar Baru", business_name="Usaha Baru", sector="kuliner",
                        regency_code="1271", district="", heard_from="", referral_code="",
                        answers=answers(300_000, channels=()))
    assert register(cohort, person, survey()).kind == "created"  # plain statements, noted by hand
    assert_recomputed(cohort, before)


def test_a_knowledge_result_recomputes_only_the_knowledge_section(app):
    from lms.knowledge import operations as knowledge_operations
    from lms.knowledge.queries import course_tests, report_section

    cohort, people = build_cohort_with_comparison()
    snap(cohort)
    before = stamps(cohort)
    knowledge_operations.submit_test(people[0], cohort, "pre", course_tests(cohort.course_id), {})
    after = stamps(cohort)
    assert after[0] == before[0] and after[1] != before[1]
    _stamp, figures = snapshot.current_figures(cohort, survey())
    assert figures["stamps"] == {"survey": after[0], "knowledge": after[1]}
    assert figures["knowledge"]["respondents_pre"] == 1 == report_section(cohort)["respondents_pre"]
    assert snap(cohort) == live(cohort)


def test_other_cohorts_and_rolled_back_changes_leave_the_stamp_alone(app):
    cohort, people = build_cohort_with_comparison()
    snap(cohort)
    before = stamps(cohort)
    other = make_cohort("ftd-lain")
    someone = make_user()
    enroll_participant(someone, other)
    save_answers(someone, other, "baseline", survey(), answers(500_000), submit=True)
    assert stamps(cohort) == before
    people[0].profile.regency_code = "1201"
    db.session.flush()
    db.session.rollback()
    assert stamps(cohort) == before
    blunt = db.session.scalars(select(ImpactInputCounter).where(ImpactInputCounter.cohort_id == changes.EVERY_COHORT))
    assert blunt.first() is None  # nothing needed the blunt bump


def test_what_the_report_does_not_read_leaves_the_stamp_alone(app):
    """A login time, a version bump, a draft saved again: no recompute (they happen on every page)."""
    from lms.models import utcnow

    cohort, people = build_cohort_with_comparison()
    snap(cohort)
    before = stamps(cohort)
    people[0].last_login_at = utcnow()
    people[0].profile.business_name = "Usaha Baru"
    db.session.execute(update(User).where(User.id == people[1].id).values(version=User.version + 1))
    db.session.commit()
    save_answers(people[2], cohort, "followup-6", survey(), answers(700_000), submit=False)  # a draft
    save_answers(people[2], cohort, "followup-6", survey(), answers(800_000), submit=False)
    assert stamps(cohort) == before
    save_answers(people[2], cohort, "followup-6", survey(), answers(800_000), submit=True)  # submitted: counts
    assert_recomputed(cohort, before)


def test_a_change_whose_cohorts_are_not_known_makes_every_report_stale(app):
    cohort, _people = build_cohort_with_comparison()
    snap(cohort)
    before = stamps(cohort)
    db.session.execute(update(ParticipantProfile).values(sector="jasa"))  # no WHERE: every person
    db.session.commit()
    assert stamps(cohort)[0] != before[0]
    assert snap(cohort) == live(cohort)


def test_commits_spread_over_the_shards_and_the_count_is_their_sum(app):
    """The closing rush's commits must not all queue on one row: each bumps one of SHARDS rows."""
    cohort = make_cohort("ftd-shards")
    for _ in range(40):
        changes.note(db.session, [cohort.id], [changes.SURVEY])
        db.session.commit()
    shards = db.session.scalars(select(ImpactInputCounter).where(ImpactInputCounter.cohort_id == cohort.id)).all()
    assert len(shards) > 1  # 40 draws of 16 all landing on one shard: 16⁻³⁹
    assert {row.shard for row in shards} <= set(range(changes.SHARDS))
    assert changes.counts(cohort.id) == (40, 0)


OLD_COUNTER = table("impact_input_counter", column("cohort_id"), column("survey"), column("knowledge"))
SHARDED_COUNTER = table("impact_input_counter", column("cohort_id"), column("shard"), column("survey"),
                        column("knowledge"))


def test_the_shard_migration_keeps_every_count_both_ways(scratch_app):
    """A stored report's stamp is a sum of counts: upgrading or downgrading must not change any sum."""
    with scratch_app.app_context():
        downgrade(revision=UNSHARDED_REVISION)
        db.session.execute(insert(OLD_COUNTER), [dict(cohort_id=0, survey=1, knowledge=0),
                                                 dict(cohort_id=7, survey=5, knowledge=2)])
        db.session.commit()
        upgrade()
        assert changes.counts(7) == (6, 2)
        db.session.execute(insert(SHARDED_COUNTER), [dict(cohort_id=7, shard=3, survey=4, knowledge=1),
                                                     dict(cohort_id=9, shard=11, survey=2, knowledge=0),
                                                     dict(cohort_id=9, shard=5, survey=1, knowledge=1)])
        db.session.commit()
        before = {cohort_id: changes.counts(cohort_id) for cohort_id in (7, 9)}
        db.session.close()  # end the read: SQLite would keep showing this session the shards it saw
        downgrade(revision=UNSHARDED_REVISION)
        rows = set(db.session.execute(select(OLD_COUNTER)).all())
        assert rows == {(0, 1, 0), (7, 9, 3), (9, 3, 1)}
        upgrade()
        assert {cohort_id: changes.counts(cohort_id) for cohort_id in (7, 9)} == before == {7: (10, 3), 9: (4, 1)}
