"""survey: ballot store apart from credential use (issue 10 item 2)

Revision ID: a1c3e5f70002
Revises: 5b1e0c7d2a10
Create Date: 2026-12-04

While voting is open a ballot is kept only sealed, in survey_ballot_inbox, written with the
credential's use; closing opens, shuffles and writes them to survey_ballots in one transaction and
destroys the inbox (govsvc/survey/ballots.py). Ballots of a campaign open during the upgrade stay
where they are and are rewritten with the sealed ones at close.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f70002'
down_revision = '5b1e0c7d2a10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_ballot_inbox',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['survey_campaigns.id'], name=op.f('fk_survey_ballot_inbox_campaign_id_survey_campaigns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_ballot_inbox')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('survey_ballot_inbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_ballot_inbox_campaign_id'), ['campaign_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_ballot_inbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_ballot_inbox_campaign_id'))
    op.drop_table('survey_ballot_inbox')
