"""sessions: bootcamp sessions and attendance

Revision ID: se55a1b2c3d4
Revises: ou1d4e5f6a7b
Create Date: 2026-12-01 14:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'se55a1b2c3d4'
down_revision = 'ou1d4e5f6a7b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bootcamp_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('module_id', sa.String(length=60), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('venue_name', sa.String(length=200), server_default='', nullable=False),
    sa.Column('venue_address', sa.String(length=300), server_default='', nullable=False),
    sa.Column('map_url', sa.String(length=500), server_default='', nullable=False),
    sa.Column('online_url', sa.String(length=500), server_default='', nullable=False),
    sa.Column('speaker', sa.String(length=160), server_default='', nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('checkin_opens_minutes', sa.Integer(), server_default=sa.text('60'), nullable=False),
    sa.Column('late_after_minutes', sa.Integer(), server_default=sa.text('15'), nullable=False),
    sa.Column('checkin_always_open', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('change_notice', sa.String(length=500), server_default='', nullable=False),
    sa.Column('sequence', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_bootcamp_session_cohort_id_cohort'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bootcamp_session'))
    )
    op.create_index('ix_bootcamp_session_cohort_start', 'bootcamp_session', ['cohort_id', 'starts_at'], unique=False)
    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('late', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('client_uuid', sa.String(length=36), nullable=True),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_attendance_recorded_by_id_user'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['bootcamp_session.id'],
                            name=op.f('fk_attendance_session_id_bootcamp_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_attendance_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('client_uuid', name=op.f('uq_attendance_client_uuid')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_attendance_session_id_user_id'))
    )
    op.create_index(op.f('ix_attendance_user_id'), 'attendance', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_attendance_user_id'), table_name='attendance')
    op.drop_table('attendance')
    op.drop_index('ix_bootcamp_session_cohort_start', table_name='bootcamp_session')
    op.drop_table('bootcamp_session')
