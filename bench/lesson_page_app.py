"""The app plus one bench-only route serving a static template (bench/lesson_page.py)."""

import os

from flask import Blueprint, render_template
from flask_login import login_required

from lms import create_app

os.environ.setdefault("LMS_PUBLIC_URL", "http://127.0.0.1:5000")
app = create_app()
plain = Blueprint("bench_plain", __name__, template_folder=os.environ["LMS_BENCH_PLAIN_DIR"])


@plain.get("/bench/plain")
def plain_page():
    """Render the captured module page from a static template."""
    return render_template("plain_page.html")


@plain.get("/bench/plain-signed-in")
@login_required
def plain_signed_in_page():
    """The same static template behind the same session check as the module page."""
    return render_template("plain_page.html")


app.register_blueprint(plain)
