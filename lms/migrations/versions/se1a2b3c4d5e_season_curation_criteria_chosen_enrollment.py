"""season: curation criteria per cohort, the participant's chosen enrollment

cohort.curation_criteria holds the stage-2 criteria staff choose (sector weights,
regency quotas, minimum business age); enrollment.chosen_at records when a
participant with several enrollments last switched to this one;
participant_profile.business_started_year feeds the business-age criterion.

Revision ID: se1a2b3c4d5e
Revises: pe0b1e2c3d4f
Create Date: 2026-12-01 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'se1a2b3c4d5e'
down_revision = 'pe0b1e2c3d4f'
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN on both databases (SQLite has both since 3.35). A batch
# "move and copy" on SQLite would drop the old table, and with foreign keys on that
# DROP cascades: cohort → enrollment → submissions would be deleted on downgrade.
COLUMNS = (
    ('cohort', sa.Column('curation_criteria', sa.JSON(), nullable=True)),
    ('enrollment', sa.Column('chosen_at', sa.DateTime(), nullable=True)),
    ('participant_profile', sa.Column('business_started_year', sa.Integer(), nullable=True)),
)


def upgrade():
    for table, column in COLUMNS:
        op.add_column(table, column)


def downgrade():
    for table, column in reversed(COLUMNS):
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column.name}')
