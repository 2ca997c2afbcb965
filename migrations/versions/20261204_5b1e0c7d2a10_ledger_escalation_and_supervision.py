"""ledger: escalation (parent matter) and 督办 events

Revision ID: 5b1e0c7d2a10
Revises: d047d751ab2a
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e0c7d2a10'
down_revision = 'd047d751ab2a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_matters_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_matters_parent_id_matters'), 'matters', ['parent_id'], ['id'])
    with op.batch_alter_table('matter_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action', sa.String(length=20), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('matter_events', schema=None) as batch_op:
        batch_op.drop_column('action')
    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_matters_parent_id_matters'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_matters_parent_id'))
        batch_op.drop_column('parent_id')
