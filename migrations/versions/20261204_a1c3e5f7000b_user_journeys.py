"""user journeys: confirmations, audit labels (issue 10 items 11-17)

Revision ID: a1c3e5f7000b
Revises: a1c3e5f7000a
Create Date: 2026-12-04

Reserved in the migration chain for this piece of work, so that work done side by side lands in
one line of revisions; an unused reservation is removed when the work lands.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f7000b'
down_revision = 'a1c3e5f7000a'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
