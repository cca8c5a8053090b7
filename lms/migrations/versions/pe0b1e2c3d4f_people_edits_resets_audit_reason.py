"""people: person version, district and printed name, audit reason, password-reset requests

user.version lets an edit form refuse a save made from a stale page;
participant_profile gains the district (kecamatan) and the name printed on
certificates; audit_event gains the reason staff gave; password_reset_request
holds the forgotten-password queue.

Revision ID: pe0b1e2c3d4f
Revises: li3a7c0de5f1
Create Date: 2026-12-01 11:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'pe0b1e2c3d4f'
down_revision = 'li3a7c0de5f1'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not batch mode: on SQLite a batch rebuild of "user" drops the table,
    # and with foreign keys on that deletes every row that points at a user (cascade).
    op.add_column('user', sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))
    op.add_column('participant_profile', sa.Column('district', sa.String(length=80), server_default='', nullable=False))
    op.add_column('participant_profile', sa.Column('certificate_name', sa.String(length=120), server_default='',
                                                   nullable=False))
    op.add_column('audit_event', sa.Column('reason', sa.String(length=300), nullable=True))

    op.create_table('password_reset_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolution', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user.id'], name=op.f('fk_password_reset_request_resolved_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_password_reset_request_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_request'))
    )
    with op.batch_alter_table('password_reset_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_request_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_reset_request_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_password_reset_request_open', ['user_id'], unique=True, sqlite_where=sa.text('resolved_at IS NULL'), postgresql_where=sa.text('resolved_at IS NULL'))


def downgrade():
    with op.batch_alter_table('password_reset_request', schema=None) as batch_op:
        batch_op.drop_index('uq_password_reset_request_open', sqlite_where=sa.text('resolved_at IS NULL'), postgresql_where=sa.text('resolved_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_password_reset_request_user_id'))
        batch_op.drop_index(batch_op.f('ix_password_reset_request_created_at'))
    op.drop_table('password_reset_request')

    for table, column in (('audit_event', 'reason'), ('participant_profile', 'certificate_name'),
                          ('participant_profile', 'district'), ('user', 'version')):
        _drop_column(table, column)


def _drop_column(table, column):
    if op.get_bind().dialect.name == 'sqlite':
        # Native DROP COLUMN (SQLite 3.35+) for the same reason as in upgrade(): no table rebuild.
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN {column}')
    else:
        op.drop_column(table, column)
