"""The staff page of the published content and its problems."""

from flask import render_template

from lms.learn.store import get_content
from lms.staff.blueprint import bp


@bp.get("/konten")
def content():
    """Show the published courses and modules, and every content problem with file and line."""
    published = get_content()
    return render_template("staff/content.html", published=published)
