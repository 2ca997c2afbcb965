"""web performance: caches and indexes (issue 11)

Revision ID: a1c3e5f7000c
Revises: a1c3e5f7000b
Create Date: 2026-12-04

Reserved in the migration chain for this piece of work, so that work done side by side lands in
one line of revisions; an unused reservation is removed when the work lands.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f7000c'
down_revision = 'a1c3e5f7000b'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
