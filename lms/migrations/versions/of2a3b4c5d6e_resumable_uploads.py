"""offline2: resumable uploads and the content digest of a submission

Revision ID: of2a3b4c5d6e
Revises: ip3a4b5c6d7e
Create Date: 2026-12-01 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'of2a3b4c5d6e'
down_revision = 'ip3a4b5c6d7e'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('submission', sa.Column('content_digest', sa.String(length=64), nullable=True))
    op.create_table('resumable_upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('client_token', sa.String(length=64), nullable=False),
    sa.Column('file_index', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_resumable_upload_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resumable_upload')),
    sa.UniqueConstraint('name', name=op.f('uq_resumable_upload_name')),
    sa.UniqueConstraint('user_id', 'client_token', 'file_index', name=op.f('uq_resumable_upload_user_id_client_token_file_index'))
    )
    op.create_index(op.f('ix_resumable_upload_user_id'), 'resumable_upload', ['user_id'], unique=False)
    op.create_index(op.f('ix_resumable_upload_created_at'), 'resumable_upload', ['created_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_resumable_upload_created_at'), table_name='resumable_upload')
    op.drop_index(op.f('ix_resumable_upload_user_id'), table_name='resumable_upload')
    op.drop_table('resumable_upload')
    op.drop_column('submission', 'content_digest')
