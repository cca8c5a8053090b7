"""Backups: one archive of the database and instance files, verified before anything is restored.

No blueprint: this area is operated from the command line (`flask --app wsgi lms backup …`)
and by the queue's nightly task, which calls `nightly_backup()`.
"""

from lms.backup.archive import BackupError
from lms.backup.operations import create_backup, nightly_backup, prune_backups, restore_backup, verify_backup

__all__ = ["BackupError", "create_backup", "nightly_backup", "prune_backups", "restore_backup", "verify_backup"]
