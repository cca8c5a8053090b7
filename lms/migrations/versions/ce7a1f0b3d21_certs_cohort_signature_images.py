"""certs: each cohort's two signature images (stored files under instance/)

The signatories' names and titles are already on cohort; this adds the path of
each one's uploaded signature image, relative to the certificate storage folder
(server-made names, e.g. tanda-tangan/kohort-3-1-<digest>.svg). Empty means the
demo signature (certificates/signatures/contoh-*.svg), which the issue page warns about.

Revision ID: ce7a1f0b3d21
Revises: se1a2b3c4d5e
Create Date: 2026-12-01 11:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ce7a1f0b3d21'
down_revision = 'se1a2b3c4d5e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signatory1_image', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('signatory2_image', sa.String(length=200), server_default='', nullable=False))


def downgrade():
    # Not batch_alter_table: on SQLite it would recreate cohort, and with foreign keys on, dropping the
    # old table cascades to every enrollment. SQLite (3.35+) drops a column in place.
    for column in ('signatory2_image', 'signatory1_image'):
        if op.get_bind().dialect.name == 'sqlite':
            op.execute(f'ALTER TABLE cohort DROP COLUMN {column}')
        else:
            op.drop_column('cohort', column)
