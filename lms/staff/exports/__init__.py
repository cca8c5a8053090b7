"""Cohort exports: views.py, datasets.py (the datasets, CSV/XLSX writers and formula neutralizing)."""
