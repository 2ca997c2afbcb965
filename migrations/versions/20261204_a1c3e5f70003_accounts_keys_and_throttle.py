"""accounts: login throttle by address, keys, public submissions (issue 10)

Revision ID: a1c3e5f70003
Revises: a1c3e5f70002
Create Date: 2026-12-04

- login_attempts.address: the client network of each attempt (the throttle counts per username
  and network, per network and per username), with indexes for those counts and for pruning.
- public_throttle: keyed hashes of the networks of anonymous public submissions, kept for the
  throttle's window only (govsvc.throttle).
- integrity_clues.submitter_key (a keyed hash of the complainant's IP address, kept forever) is
  dropped with its index: public submissions keep no address.

No batch mode (table copy) on SQLite: it would drop the append-only triggers of integrity_clues;
SQLite ≥ 3.35 drops a column in place.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f70003'
down_revision = 'a1c3e5f70002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('public_throttle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_throttle'))
    )
    op.create_index('ix_public_throttle_at', 'public_throttle', ['at'], unique=False)
    op.create_index('ix_public_throttle_scope_key_at', 'public_throttle', ['scope', 'key', 'at'], unique=False)

    op.drop_index(op.f('ix_integrity_clues_submitter_at'), table_name='integrity_clues')
    op.drop_column('integrity_clues', 'submitter_key')

    op.add_column('login_attempts', sa.Column('address', sa.String(length=64), server_default='', nullable=False))
    op.create_index('ix_login_attempts_address_at', 'login_attempts', ['address', 'at'], unique=False)
    op.create_index('ix_login_attempts_at', 'login_attempts', ['at'], unique=False)


def downgrade():
    op.drop_index('ix_login_attempts_at', table_name='login_attempts')
    op.drop_index('ix_login_attempts_address_at', table_name='login_attempts')
    op.drop_column('login_attempts', 'address')

    op.add_column('integrity_clues', sa.Column('submitter_key', sa.String(length=64), nullable=True))
    op.create_index(op.f('ix_integrity_clues_submitter_at'), 'integrity_clues', ['submitter_key', 'created_at'],
                    unique=False)

    op.drop_index('ix_public_throttle_scope_key_at', table_name='public_throttle')
    op.drop_index('ix_public_throttle_at', table_name='public_throttle')
    op.drop_table('public_throttle')
