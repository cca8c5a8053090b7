"""Certificates: issuing, downloading, revoking and public verification."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)
