"""survey, grading and integrity rules of issue 12

Revision ID: a1c3e5f7000a
Revises: a1c3e5f70009
Create Date: 2026-12-04

Reserved in the migration chain for this piece of work, so that work done side by side lands in
one line of revisions; an unused reservation is removed when the work lands.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f7000a'
down_revision = 'a1c3e5f70009'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
