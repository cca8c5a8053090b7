"""Outreach for staff (issue #14 §3): where registrations come from, targets, referral links, the export.

The blueprint is created here and the views module adds its routes; queries hold
the GROUP BY reads, operations the writes, cartogram/charts/rules the pure parts.
"""

from flask import Blueprint

bp = Blueprint("outreach", __name__)

from lms.outreach import views  # noqa: E402, F401 - the views register themselves on bp
