"""assign: withdrawn versions, files kept from earlier versions, grade corrections

submission.opened_at marks when the participant's mentor first opened a version
(a version may be withdrawn only before that); submission.withdrawn_at; the
submission_kept_file table references files of earlier versions; a review that
corrects another names it and says why.

Revision ID: as51gn0c0rr1
Revises: ce7a1f0b3d21
Create Date: 2026-12-01 11:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'as51gn0c0rr1'
down_revision = 'ce7a1f0b3d21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('submission_kept_file',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['submission_file.id'], name=op.f('fk_submission_kept_file_file_id_submission_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_submission_kept_file_submission_id_submission'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('submission_id', 'file_id', name=op.f('pk_submission_kept_file'))
    )
    with op.batch_alter_table('submission_kept_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_kept_file_file_id'), ['file_id'], unique=False)

    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opened_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrects_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('correction_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_review_corrects_id_review'), 'review', ['corrects_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_review_corrects_id_review'), type_='foreignkey')
        batch_op.drop_column('correction_reason')
        batch_op.drop_column('corrects_id')

    # Not a batch table copy: on SQLite, dropping the old submission table would cascade-delete
    # every review and file. SQLite 3.35+ drops an unindexed column in place.
    for column in ('withdrawn_at', 'opened_at'):
        op.execute(f'ALTER TABLE submission DROP COLUMN {column}')

    with op.batch_alter_table('submission_kept_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_kept_file_file_id'))

    op.drop_table('submission_kept_file')
