"""impact4: a per-cohort counter of changes to the impact report's inputs

Revision ID: im4a5b6c7d8e
Revises: wv1a2b3c4d5e
Create Date: 2026-12-01 21:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'im4a5b6c7d8e'
down_revision = 'wv1a2b3c4d5e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('impact_input_counter',
    sa.Column('cohort_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('survey', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('knowledge', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.PrimaryKeyConstraint('cohort_id', name=op.f('pk_impact_input_counter'))
    )


def downgrade():
    op.drop_table('impact_input_counter')
