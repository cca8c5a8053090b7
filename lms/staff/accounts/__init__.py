"""Staff accounts: views.py (pages), forms.py, operations.py (creating an account in one transaction)."""
