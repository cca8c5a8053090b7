"""season: curation criteria per cohort, the participant's chosen enrollment

cohort.curation_criteria holds the stage-2 criteria staff choose (sector weights,
regency quotas, minimum business age); enrollment.chosen_at records when a
participant with several enrollments last switched to this one;
participant_profile.business_started_year feeds the business-age criterion.

Revision ID: se1a2b3c4d5e
Revises: c051ff644b52
Create Date: 2026-12-01 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'se1a2b3c4d5e'
down_revision = 'c051ff644b52'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.add_column(sa.Column('curation_criteria', sa.JSON(), nullable=True))
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chosen_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('participant_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('business_started_year', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('participant_profile', schema=None) as batch_op:
        batch_op.drop_column('business_started_year')
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_column('chosen_at')
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_column('curation_criteria')
