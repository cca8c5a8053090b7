"""The audit log: views.py, forms.py (the filter), queries.py (the filtered query), display.py (readable labels)."""
