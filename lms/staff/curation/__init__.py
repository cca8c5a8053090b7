"""Curation: views.py, forms.py, operations.py (queries and bulk writes), rules.py (the pure stage-2 score)."""
