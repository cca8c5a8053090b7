"""offline: data saver setting, quiz submit idempotency key and late answers

user gains data_saver ("Mode hemat data"); quiz_attempt gains the idempotency key
and digest of the submit that graded it, and the answers that arrived too late.

Revision ID: of1a2b3c4d5e
Revises: an5e1f2a3b4c
Create Date: 2026-12-01 14:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'of1a2b3c4d5e'
down_revision = 'an5e1f2a3b4c'
branch_labels = None
depends_on = None


def upgrade():
    # Plain add_column: both tables are referenced by others, so no batch copy.
    op.add_column('user', sa.Column('data_saver', sa.Boolean(), server_default=sa.text('false'), nullable=False))
    op.add_column('quiz_attempt', sa.Column('submit_key', sa.String(length=64), nullable=True))
    op.add_column('quiz_attempt', sa.Column('submit_digest', sa.String(length=64), nullable=True))
    op.add_column('quiz_attempt', sa.Column('late_answers', sa.JSON(), nullable=True))
    op.add_column('quiz_attempt', sa.Column('late_received_at', sa.DateTime(), nullable=True))


def downgrade():
    op.drop_column('quiz_attempt', 'late_received_at')
    op.drop_column('quiz_attempt', 'late_answers')
    op.drop_column('quiz_attempt', 'submit_digest')
    op.drop_column('quiz_attempt', 'submit_key')
    op.drop_column('user', 'data_saver')
