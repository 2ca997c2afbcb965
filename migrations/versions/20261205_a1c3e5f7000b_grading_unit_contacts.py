"""grading: the joint-meeting roster (each member unit's leader and liaison officer)

Revision ID: a1c3e5f7000b
Revises: a1c3e5f7000a
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f7000b'
down_revision = 'a1c3e5f7000a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('grading_unit_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('leader_name', sa.String(length=50), nullable=False),
    sa.Column('leader_post', sa.String(length=100), nullable=False),
    sa.Column('leader_phone', sa.String(length=30), nullable=False),
    sa.Column('liaison_name', sa.String(length=50), nullable=False),
    sa.Column('liaison_post', sa.String(length=100), nullable=False),
    sa.Column('liaison_phone', sa.String(length=30), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reported_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_grading_unit_contacts_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_unit_contacts')),
    sa.UniqueConstraint('unit_id', name=op.f('uq_grading_unit_contacts_unit_id'))
    )


def downgrade():
    op.drop_table('grading_unit_contacts')
