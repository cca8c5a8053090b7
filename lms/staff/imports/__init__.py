"""Registrant import: views.py (upload, mapping, dry run, job), forms.py, registrants.py (read, check, apply)."""
