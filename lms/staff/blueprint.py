"""The one `staff` blueprint (url prefix /staf, staff role only).

It lives in a module of its own that imports no views: every subpackage's
views.py takes `bp` from here and adds its routes, and lms.staff imports those
views modules once, so no module imports back up the chain.
"""

from flask import Blueprint

from lms.models import Role
from lms.security import require_roles

bp = Blueprint("staff", __name__)
bp.before_request(require_roles(Role.STAFF))
