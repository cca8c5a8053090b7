"""answers: extra quiz attempts granted by staff or a mentor

quiz_attempt_grant holds each grant (participant, module, how many, why, who);
a quiz's attempt limit for a participant is maks_percobaan plus their grants.

Revision ID: an5e1f2a3b4c
Revises: sh0c4e5a6b7d
Create Date: 2026-12-01 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'an5e1f2a3b4c'
down_revision = 'sh0c4e5a6b7d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quiz_attempt_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.String(length=60), nullable=False),
    sa.Column('extra', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['granted_by_id'], ['user.id'], name=op.f('fk_quiz_attempt_grant_granted_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_quiz_attempt_grant_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_attempt_grant'))
    )
    with op.batch_alter_table('quiz_attempt_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_attempt_grant_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('quiz_attempt_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_attempt_grant_user_id'))
    op.drop_table('quiz_attempt_grant')
