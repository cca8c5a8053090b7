"""The published-content page: views.py."""
