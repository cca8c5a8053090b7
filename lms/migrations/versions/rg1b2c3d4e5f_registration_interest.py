"""registration: "tell me when registration opens" phone numbers

Revision ID: rg1b2c3d4e5f
Revises: im2a3b4c5d6e
Create Date: 2026-12-01 14:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'rg1b2c3d4e5f'
down_revision = 'im2a3b4c5d6e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('registration_interest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('consent_version', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('notified_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_registration_interest_cohort_id_cohort'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_interest')),
    sa.UniqueConstraint('phone', name=op.f('uq_registration_interest_phone'))
    )
    op.create_index(op.f('ix_registration_interest_cohort_id'), 'registration_interest', ['cohort_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_registration_interest_cohort_id'), table_name='registration_interest')
    op.drop_table('registration_interest')
