"""Staff cohorts: views.py (list, create, edit), forms.py (CohortForm, SLUG_PATTERN), operations.py (save_cohort)."""
