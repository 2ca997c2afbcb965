"""integrity: 调离建议 to the organisation department and their confirmation

Revision ID: c12a0e1f0001
Revises: c12e5f7a0d01
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c12a0e1f0001'
down_revision = 'c12e5f7a0d01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('integrity_transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('recommended_on', sa.Date(), nullable=False),
    sa.Column('transferred_on', sa.Date(), nullable=True),
    sa.Column('new_post', sa.String(length=100), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_by', sa.String(length=64), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_integrity_transfers_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_integrity_transfers_matter_id_matters')),
    sa.ForeignKeyConstraint(['record_id'], ['integrity_records.id'], name=op.f('fk_integrity_transfers_record_id_integrity_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_transfers')),
    sa.UniqueConstraint('matter_id', name=op.f('uq_integrity_transfers_matter_id')),
    sa.UniqueConstraint('record_id', name=op.f('uq_integrity_transfers_record_id'))
    )


def downgrade():
    op.drop_table('integrity_transfers')
