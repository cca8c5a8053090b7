"""The staff console (url prefix /staf, staff role only): one blueprint, one subpackage per capability.

- accounts: the account list, creating one, activation codes, status, moving an enrollment
- cohorts: creating and editing cohorts
- imports: registrants from a CSV/XLSX export (upload, column mapping, dry run, import job)
- curation: filters, bulk status changes, stage-2 criteria and scores, activation codes
- allocation: participants to mentors, by hand or by the balanced split
- dashboard: a cohort's funnel, modules, regencies, mentors, participants at risk (and the SVG charts)
- ranking: the composite-score ranking and the top awardees
- exports: a cohort's datasets as CSV/XLSX
- audit: the audit log page and the readable labels of its actions
- content: the published content and its problems

The blueprint lives in lms.staff.blueprint, which imports no views; each views
module adds its routes to it, and importing them here attaches every route once.
cli.py (the `flask lms cohorts|registrants` commands) and demo.py (seed data)
sit beside the subpackages.
"""

from lms.staff.accounts import views as accounts_views
from lms.staff.allocation import views as allocation_views
from lms.staff.audit import views as audit_views
from lms.staff.blueprint import bp
from lms.staff.cohorts import views as cohorts_views
from lms.staff.content import views as content_views
from lms.staff.curation import views as curation_views
from lms.staff.dashboard import views as dashboard_views
from lms.staff.exports import views as exports_views
from lms.staff.imports import views as imports_views
from lms.staff.ranking import views as ranking_views

__all__ = ["bp"]
VIEW_MODULES = (accounts_views, allocation_views, audit_views, cohorts_views, content_views, curation_views,
                dashboard_views, exports_views, imports_views, ranking_views)
