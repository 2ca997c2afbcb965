"""integrity: anonymised typical cases (典型问题公开曝光)

Revision ID: c12a0e1f0002
Revises: c12a0e1f0001
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c12a0e1f0002'
down_revision = 'c12a0e1f0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('integrity_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('drafted_by_id', sa.Integer(), nullable=True),
    sa.Column('drafted_by', sa.String(length=64), nullable=False),
    sa.Column('drafted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_by', sa.String(length=64), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by', sa.String(length=64), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'published', 'withdrawn')", name=op.f('ck_integrity_cases_status')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_integrity_cases_approved_by_id_users')),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['users.id'], name=op.f('fk_integrity_cases_drafted_by_id_users')),
    sa.ForeignKeyConstraint(['record_id'], ['integrity_records.id'], name=op.f('fk_integrity_cases_record_id_integrity_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_cases'))
    )
    with op.batch_alter_table('integrity_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integrity_cases_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_integrity_cases_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('integrity_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_integrity_cases_status'))
        batch_op.drop_index(batch_op.f('ix_integrity_cases_record_id'))
    op.drop_table('integrity_cases')
