"""Mentor allocation pages: views.py (the rules and writes live in lms.assignments.allocation_operations)."""
