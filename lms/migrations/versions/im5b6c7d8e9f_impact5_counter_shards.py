"""impact5: the impact input counter in shards (the closing rush's commits stop queueing on one row)

Revision ID: im5b6c7d8e9f
Revises: im4a5b6c7d8e
Create Date: 2026-12-02 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'im5b6c7d8e9f'
down_revision = 'im4a5b6c7d8e'
branch_labels = None
depends_on = None


def upgrade():
    # The old counts become shard 0, so every stored snapshot's stamp still matches (nothing recomputes).
    with op.batch_alter_table('impact_input_counter') as batch_op:
        batch_op.add_column(sa.Column('shard', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch_op.drop_constraint('pk_impact_input_counter', type_='primary')
        batch_op.create_primary_key('pk_impact_input_counter', ['cohort_id', 'shard'])


def downgrade():
    # Fold the shards back into one row per cohort: their sums are the counts every stamp was taken from.
    def counter_table(name='impact_input_counter'):
        return sa.table(name, sa.column('cohort_id', sa.Integer), sa.column('shard', sa.Integer),
                        sa.column('survey', sa.Integer), sa.column('knowledge', sa.Integer))

    counter, shards = counter_table(), counter_table().alias('shards')
    no_shard_zero = ~sa.exists().where(shards.c.cohort_id == counter.c.cohort_id, shards.c.shard == 0)
    op.execute(sa.insert(counter).from_select(
        ['cohort_id', 'shard', 'survey', 'knowledge'],
        sa.select(counter.c.cohort_id, sa.literal(0), sa.literal(0), sa.literal(0)).where(no_shard_zero).distinct()))

    def total(column: str):
        return sa.select(sa.func.sum(shards.c[column])).where(shards.c.cohort_id == counter.c.cohort_id) \
            .scalar_subquery()

    op.execute(sa.update(counter).where(counter.c.shard == 0).values(survey=total('survey'),
                                                                      knowledge=total('knowledge')))
    op.execute(sa.delete(counter).where(counter.c.shard != 0))
    with op.batch_alter_table('impact_input_counter') as batch_op:
        batch_op.drop_constraint('pk_impact_input_counter', type_='primary')
        batch_op.create_primary_key('pk_impact_input_counter', ['cohort_id'])
        batch_op.drop_column('shard')
