"""showcase: graduates' opt-in public listings

Revision ID: sh0c4e5a6b7d
Revises: rg0f1a2b3c4d
Create Date: 2026-12-01 15:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'sh0c4e5a6b7d'
down_revision = 'rg0f1a2b3c4d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('showcase_listing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('consented_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('business_name', sa.String(length=160), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('sector', sa.String(length=40), nullable=False),
    sa.Column('regency_code', sa.String(length=4), nullable=True),
    sa.Column('photo_name', sa.String(length=80), nullable=False),
    sa.Column('photo_thumbnail', sa.String(length=80), nullable=False),
    sa.Column('links', sa.JSON(), nullable=False),
    sa.Column('whatsapp', sa.String(length=16), nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_reason', sa.String(length=300), nullable=False),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('featured', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user.id'], name=op.f('fk_showcase_listing_hidden_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_showcase_listing_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showcase_listing')),
    sa.UniqueConstraint('user_id', name=op.f('uq_showcase_listing_user_id'))
    )
    op.create_index(op.f('ix_showcase_listing_regency_code'), 'showcase_listing', ['regency_code'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_showcase_listing_regency_code'), table_name='showcase_listing')
    op.drop_table('showcase_listing')
