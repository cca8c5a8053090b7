"""Data rights under UU PDP No. 27/2022 (issue #14 §4): see and download one's data, ask for erasure,
staff carry it out, and registrants never selected are erased after the retention period.

The blueprint is created here and the views module adds its routes; `operations.erase_person`
is the one erasure, used by staff and by the retention task alike.
"""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

from lms.privacy import views  # noqa: E402, F401 - the views register themselves on bp
