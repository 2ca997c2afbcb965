"""survey: ballot store apart from credential use (issue 10 item 2)

Revision ID: a1c3e5f70002
Revises: 5b1e0c7d2a10
Create Date: 2026-12-04

Reserved in the migration chain for this piece of work, so that work done side by side lands in
one line of revisions; an unused reservation is removed when the work lands.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f70002'
down_revision = '5b1e0c7d2a10'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
