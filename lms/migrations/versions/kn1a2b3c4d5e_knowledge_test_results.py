"""knowledge: the knowledge pre-test and post-test results, and the cohort's post-test gate

Revision ID: kn1a2b3c4d5e
Revises: rg1b2c3d4e5f
Create Date: 2026-12-01 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'kn1a2b3c4d5e'
down_revision = 'rg1b2c3d4e5f'
branch_labels = None
depends_on = None


def upgrade():
    # A plain add_column, not batch_alter_table: other tables reference cohort (a batch copy would cascade).
    op.add_column('cohort', sa.Column('posttest_required', sa.Boolean(), server_default=sa.text('false'),
                                      nullable=False))
    op.create_table('knowledge_test_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=4), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_knowledge_test_result_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_knowledge_test_result_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_test_result')),
    sa.UniqueConstraint('user_id', 'cohort_id', 'phase', name=op.f('uq_knowledge_test_result_user_id_cohort_id_phase'))
    )
    op.create_index(op.f('ix_knowledge_test_result_cohort_id'), 'knowledge_test_result', ['cohort_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_knowledge_test_result_cohort_id'), table_name='knowledge_test_result')
    op.drop_table('knowledge_test_result')
    op.drop_column('cohort', 'posttest_required')
