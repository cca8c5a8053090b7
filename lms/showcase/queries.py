"""Reads of the showcase: public listings with filters, and who may have one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, extract, func, or_, select

from lms.extensions import db
from lms.models import Certificate, Cohort, Enrollment, ShowcaseListing, TopAward, User
from lms.showcase.rules import PAGE_SIZE


def graduated_clause(user_id_column):
    """SQL: the person holds a valid graduation certificate."""
    return exists(select(Certificate.id).join(Enrollment, Enrollment.id == Certificate.enrollment_id).where(
        Enrollment.user_id == user_id_column, Certificate.kind == "graduation", Certificate.status == "valid"))


def is_graduate(user: User) -> bool:
    return bool(db.session.scalar(select(graduated_clause(user.id))))


def public_clause():
    return (ShowcaseListing.consented_at.is_not(None) & ShowcaseListing.withdrawn_at.is_(None)
            & ShowcaseListing.hidden_at.is_(None) & graduated_clause(ShowcaseListing.user_id))


@dataclass
class Page:
    listings: list[ShowcaseListing]
    total: int
    page: int
    pages: int
    top_years: dict[int, int]


def browse(*, regency: str = "", sector: str = "", query: str = "", page: int = 1) -> Page:
    """Public listings, featured first, filtered by regency, sector and a name search."""
    where = [public_clause()]
    if regency:
        where.append(ShowcaseListing.regency_code == regency)
    if sector:
        where.append(ShowcaseListing.sector == sector)
    if query:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").lower() + "%"
        where.append(or_(func.lower(ShowcaseListing.business_name).like(pattern, escape="\\"),
                         func.lower(ShowcaseListing.description).like(pattern, escape="\\")))
    total = db.session.scalar(select(func.count(ShowcaseListing.id)).where(*where)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    listings = db.session.scalars(
        select(ShowcaseListing).where(*where)
        .order_by(ShowcaseListing.featured.desc(), func.lower(ShowcaseListing.business_name), ShowcaseListing.id)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return Page(listings, total, page, pages, top_years([listing.user_id for listing in listings]))


def public_listing(listing_id: int) -> ShowcaseListing | None:
    return db.session.scalar(select(ShowcaseListing).where(ShowcaseListing.id == listing_id, public_clause()))


def top_years(user_ids: list[int]) -> dict[int, int]:
    """The latest year each person was among the best 100 (for the mark)."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(Enrollment.user_id, func.max(extract("year", Cohort.graduation_date)))
        .join(TopAward, TopAward.enrollment_id == Enrollment.id).join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Enrollment.user_id.in_(user_ids)).group_by(Enrollment.user_id)
    ).all()
    return {user_id: int(year) for user_id, year in rows}


def all_public_ids() -> list[tuple[int, object]]:
    """(id, updated_at) of every public listing, for the sitemap."""
    return db.session.execute(select(ShowcaseListing.id, ShowcaseListing.updated_at).where(public_clause())
                              .order_by(ShowcaseListing.id)).all()


def listing_of(user: User) -> ShowcaseListing | None:
    return db.session.scalar(select(ShowcaseListing).where(ShowcaseListing.user_id == user.id))


def staff_listings() -> list[ShowcaseListing]:
    return db.session.scalars(select(ShowcaseListing).order_by(ShowcaseListing.hidden_at.is_not(None).desc(),
                                                               ShowcaseListing.updated_at.desc())).all()
