"""registry: index on a year's tax rows by amount (top-taxpayer list)

Revision ID: c12b7e9a0003
Revises: c12a0e1f0002
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c12b7e9a0003'
down_revision = 'c12a0e1f0002'
branch_labels = None
depends_on = None


def upgrade():
    # Partial on a condition that always holds (the column is NOT NULL), so that only the queries
    # that name it use the index; see registry.models.TaxRecord.
    with op.batch_alter_table('tax_records', schema=None) as batch_op:
        batch_op.create_index('ix_tax_records_year_local_retained', ['year', 'local_retained', 'enterprise_id'],
                              unique=False, sqlite_where=sa.text('local_retained IS NOT NULL'),
                              postgresql_where=sa.text('local_retained IS NOT NULL'))


def downgrade():
    with op.batch_alter_table('tax_records', schema=None) as batch_op:
        batch_op.drop_index('ix_tax_records_year_local_retained')
