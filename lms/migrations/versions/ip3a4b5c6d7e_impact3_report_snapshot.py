"""impact3: the impact report's stored figures per cohort

Revision ID: ip3a4b5c6d7e
Revises: kn1a2b3c4d5e
Create Date: 2026-12-01 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'ip3a4b5c6d7e'
down_revision = 'kn1a2b3c4d5e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('impact_report_snapshot',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('stamp', sa.String(length=64), nullable=False),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('pdf_key', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_impact_report_snapshot_cohort_id_cohort'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', name=op.f('pk_impact_report_snapshot'))
    )


def downgrade():
    op.drop_table('impact_report_snapshot')
