"""Registrant import, by concern (each module imports only those above it in this list):

- reading.py: CSV/XLSX bytes into a `Table` (pure), `ImportFileError`
- mapping.py: the fields, guessing and checking the column mapping (pure)
- checking.py: `check_rows`, what the import would do with each row and why (pure)
- report.py: issue messages, the CLI's text report, the problem rows to send back (pure)
- storage.py: the uploaded files under IMPORT_ROOT
- queries.py: the accounts a file meets, earlier batches, the dry-run plan
- applying.py: the bulk writes of an import (inside the caller's transaction)
- operations.py: upload, dry run, staff's choices, the import itself (one transaction each)
- jobs.py: the "registrants.import" background job
- forms.py, views.py: the pages (upload, mapping, dry run, job)
"""
