"""Taking a module's quiz: one page, autosave, exactly-once submit, results."""

from flask import Blueprint

bp = Blueprint("quiz", __name__)
