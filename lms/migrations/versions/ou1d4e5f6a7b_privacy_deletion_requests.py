"""privacy: deletion requests and the erased mark on users

Revision ID: ou1d4e5f6a7b
Revises: of1a2b3c4d5e
Create Date: 2026-12-01 14:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'ou1d4e5f6a7b'
down_revision = 'of1a2b3c4d5e'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: a SQLite batch copy of user would cascade-delete every row that references it.
    op.add_column('user', sa.Column('erased_at', sa.DateTime(), nullable=True))
    op.create_table('deletion_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), server_default='', nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_deletion_request_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user.id'], name=op.f('fk_deletion_request_resolved_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deletion_request'))
    )
    op.create_index(op.f('ix_deletion_request_user_id'), 'deletion_request', ['user_id'], unique=False)
    op.create_index(op.f('ix_deletion_request_created_at'), 'deletion_request', ['created_at'], unique=False)
    op.create_index('uq_deletion_request_open', 'deletion_request', ['user_id'], unique=True,
                    sqlite_where=sa.text('resolved_at IS NULL'), postgresql_where=sa.text('resolved_at IS NULL'))


def downgrade():
    op.drop_index('uq_deletion_request_open', table_name='deletion_request',
                  sqlite_where=sa.text('resolved_at IS NULL'), postgresql_where=sa.text('resolved_at IS NULL'))
    op.drop_index(op.f('ix_deletion_request_created_at'), table_name='deletion_request')
    op.drop_index(op.f('ix_deletion_request_user_id'), table_name='deletion_request')
    op.drop_table('deletion_request')
    op.drop_column('user', 'erased_at')
