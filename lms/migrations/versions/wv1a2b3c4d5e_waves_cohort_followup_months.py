"""waves: the follow-up survey months of a cohort (default 3 and 6)

Revision ID: wv1a2b3c4d5e
Revises: of2a3b4c5d6e
Create Date: 2026-12-01 21:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'wv1a2b3c4d5e'
down_revision = 'of2a3b4c5d6e'
branch_labels = None
depends_on = None


def upgrade():
    # Existing cohorts keep the follow-ups they had (3 and 6 months), so their answers stay valid.
    op.add_column('cohort', sa.Column('followup_months', sa.JSON(), server_default=sa.text("'[3, 6]'"),
                                      nullable=False))


def downgrade():
    # Plain drop_column, not batch: other tables reference cohort (a batch copy would cascade-delete them).
    op.drop_column('cohort', 'followup_months')
