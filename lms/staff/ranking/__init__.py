"""Ranking and top awardees: views.py, forms.py, awards.py (queries and writes), rules.py (the pure ranking)."""
