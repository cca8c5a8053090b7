"""impact2: signed survey links, reminders once per wave, the endline gate of a cohort's certificate

Revision ID: im2a3b4c5d6e
Revises: se55a1b2c3d4
Create Date: 2026-12-01 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'im2a3b4c5d6e'
down_revision = 'se55a1b2c3d4'
branch_labels = None
depends_on = None


def upgrade():
    # cohort is referenced by many tables: a plain ADD COLUMN, never a batch copy.
    op.add_column('cohort', sa.Column('endline_required', sa.Boolean(), server_default=sa.text('false'),
                                      nullable=False))
    op.create_table('survey_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('wave', sa.String(length=16), nullable=False),
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_survey_link_created_by_id_user'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_survey_link_enrollment_id_enrollment'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_link')),
    sa.UniqueConstraint('enrollment_id', 'wave', name=op.f('uq_survey_link_enrollment_id_wave'))
    )
    op.create_index(op.f('ix_survey_link_enrollment_id'), 'survey_link', ['enrollment_id'], unique=False)
    op.create_table('survey_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('wave', sa.String(length=16), nullable=False),
    sa.Column('whatsapp_url', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_survey_reminder_cohort_id_cohort'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_survey_reminder_user_id_user'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_reminder')),
    sa.UniqueConstraint('user_id', 'cohort_id', 'wave', name=op.f('uq_survey_reminder_user_id_cohort_id_wave'))
    )
    op.create_index(op.f('ix_survey_reminder_cohort_id'), 'survey_reminder', ['cohort_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_survey_reminder_cohort_id'), table_name='survey_reminder')
    op.drop_table('survey_reminder')
    op.drop_index(op.f('ix_survey_link_enrollment_id'), table_name='survey_link')
    op.drop_table('survey_link')
    op.drop_column('cohort', 'endline_required')
