"""queue: job heartbeat, claim and attempts; periodic task runs

background_job gains the columns crash recovery needs (who claimed it, when it
last said it was alive, how often it was started); periodic_run keeps the last
run of each periodic task for the staff operations page.

Revision ID: q1a7e2c4d9b0
Revises: as51gn0c0rr1
Create Date: 2026-12-01 11:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'q1a7e2c4d9b0'
down_revision = 'as51gn0c0rr1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('background_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default=sa.text('0'), nullable=False))
    op.create_table('periodic_run',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('ok', sa.Boolean(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('runs', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_periodic_run'))
    )


def downgrade():
    op.drop_table('periodic_run')
    with op.batch_alter_table('background_job', schema=None) as batch_op:
        batch_op.drop_column('attempts')
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('claimed_by')
