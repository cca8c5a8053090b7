"""limits: count wrong tries against each activation code

Revision ID: li3a7c0de5f1
Revises: i5a1b2c3d4e5
Create Date: 2026-12-01 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'li3a7c0de5f1'
down_revision = 'i5a1b2c3d4e5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activation_code', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_attempts', sa.Integer(), server_default=sa.text('0'), nullable=False))


def downgrade():
    with op.batch_alter_table('activation_code', schema=None) as batch_op:
        batch_op.drop_column('failed_attempts')
