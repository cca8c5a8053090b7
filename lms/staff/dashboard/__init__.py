"""The cohort dashboard: views.py, queries.py (the figures, cached briefly), charts.py (server-side SVG bars)."""
