"""registration: window on cohorts, registration facts on enrollments, referral codes, targets

Revision ID: rg0f1a2b3c4d
Revises: q1a7e2c4d9b0
Create Date: 2026-12-01 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'rg0f1a2b3c4d'
down_revision = 'q1a7e2c4d9b0'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (not batch): a SQLite batch copy of cohort/enrollment would cascade-delete
    # the rows that reference them.
    op.add_column('cohort', sa.Column('registration_opens_on', sa.Date(), nullable=True))
    op.add_column('cohort', sa.Column('registration_closes_on', sa.Date(), nullable=True))
    op.add_column('enrollment', sa.Column('registered_via', sa.String(length=10), server_default='import', nullable=False))
    op.add_column('enrollment', sa.Column('heard_from', sa.String(length=40), server_default='', nullable=False))
    op.add_column('enrollment', sa.Column('referral_code', sa.String(length=32), server_default='', nullable=False))
    op.add_column('enrollment', sa.Column('registration_number', sa.String(length=20), nullable=True))
    op.add_column('enrollment', sa.Column('consent_version', sa.String(length=20), server_default='', nullable=False))
    op.add_column('enrollment', sa.Column('consented_at', sa.DateTime(), nullable=True))
    op.create_index(op.f('ix_enrollment_referral_code'), 'enrollment', ['referral_code'], unique=False)
    op.create_index('uq_enrollment_registration_number', 'enrollment', ['registration_number'], unique=True)
    op.create_table('referral_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('regency_code', sa.String(length=4), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_referral_code_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_referral_code_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_code')),
    sa.UniqueConstraint('cohort_id', 'code', name=op.f('uq_referral_code_cohort_id_code'))
    )
    op.create_index(op.f('ix_referral_code_cohort_id'), 'referral_code', ['cohort_id'], unique=False)
    op.create_table('regency_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('regency_code', sa.String(length=4), nullable=False),
    sa.Column('target', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_regency_target_cohort_id_cohort'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regency_target')),
    sa.UniqueConstraint('cohort_id', 'regency_code', name=op.f('uq_regency_target_cohort_id_regency_code'))
    )
    op.create_index(op.f('ix_regency_target_cohort_id'), 'regency_target', ['cohort_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_regency_target_cohort_id'), table_name='regency_target')
    op.drop_table('regency_target')
    op.drop_index(op.f('ix_referral_code_cohort_id'), table_name='referral_code')
    op.drop_table('referral_code')
    op.drop_index('uq_enrollment_registration_number', table_name='enrollment')
    op.drop_index(op.f('ix_enrollment_referral_code'), table_name='enrollment')
    for column in ('consented_at', 'consent_version', 'registration_number', 'referral_code',
                   'heard_from', 'registered_via'):
        op.drop_column('enrollment', column)
    op.drop_column('cohort', 'registration_closes_on')
    op.drop_column('cohort', 'registration_opens_on')
