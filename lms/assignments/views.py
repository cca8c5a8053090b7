"""Submitting assignment work and reading reviews."""

from flask import Blueprint

bp = Blueprint("assignments", __name__)
