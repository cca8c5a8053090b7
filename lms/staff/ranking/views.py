"""Staff pages for the ranking by composite score and the top awardees."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.extensions import db
from lms.models import Cohort, TopAward
from lms.staff.blueprint import bp
from lms.staff.ranking import awards
from lms.staff.ranking.forms import AwardForm

RANKING_SHOWN = 300


@bp.get("/kohort/<int:cohort_id>/peringkat")
def ranking(cohort_id: int):
    """Show the ranking by composite score, with the awardees marked."""
    cohort = db.get_or_404(Cohort, cohort_id)
    rows = awards.cohort_ranking(cohort)
    year = awards.programme_year(cohort)
    return render_template("staff/ranking.html", cohort=cohort, rows=rows[:RANKING_SHOWN], total=len(rows),
                           awarded=awards.awards_in_year(year), year=year, limit=awards.year_limit(),
                           form=AwardForm())


@bp.post("/kohort/<int:cohort_id>/peringkat/terbaik")
def mark_awardees(cohort_id: int):
    """Mark the ticked participants as top awardees (within the programme year's places)."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = AwardForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(map(str, errors)), "error")
        return redirect(url_for("staff.ranking", cohort_id=cohort.id))
    try:
        created = awards.mark_awardees(cohort, form.enrollment_ids.data, awarded_by=current_user,
                                       reason=(form.reason.data or "").strip())
    except awards.AwardNeedsReason as needs:
        names = {row.ranked.entry.enrollment_id: row.name for row in awards.cohort_ranking(cohort)}
        return render_template("staff/ranking_confirm.html", cohort=cohort, form=form, warnings=needs.warnings,
                               names=names, labels=AWARD_WARNING_LABELS)
    skipped = len(set(form.enrollment_ids.data)) - len(created)
    flash(_("%(count)s peserta ditandai sebagai Peserta Terbaik; %(skipped)s dilewati (sudah ditandai, bukan "
            "peserta kohort ini, atau kuota %(limit)s per tahun program penuh).", count=len(created), skipped=skipped,
            limit=awards.year_limit()), "success")
    return redirect(url_for("staff.ranking", cohort_id=cohort.id))


AWARD_WARNING_LABELS = {
    "incomplete": _l("belum memenuhi semua syarat lulus"),
    "at_risk": _l("berisiko (lama tidak membuka LMS)"),
    "below_threshold": _l("skor di bawah batas"),
}


@bp.post("/kohort/<int:cohort_id>/peringkat/terbaik/<int:award_id>/hapus")
def remove_award(cohort_id: int, award_id: int):
    """Take a participant off the top awardees."""
    award = db.get_or_404(TopAward, award_id)
    if award.cohort_id != cohort_id:
        abort(404)
    awards.remove_award(award, removed_by=current_user)
    flash(_("Tanda Peserta Terbaik dihapus. Sertifikat yang sudah terbit dicabut lewat halaman sertifikat."), "success")
    return redirect(url_for("staff.ranking", cohort_id=cohort_id))
