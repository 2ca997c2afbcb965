"""survey: outcomes become work (the interviews' records, the commended list sent with its points)

Revision ID: a1c3e5f7000c
Revises: a1c3e5f7000b
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'a1c3e5f7000c'
down_revision = 'a1c3e5f7000b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey_campaigns') as batch_op:
        batch_op.add_column(sa.Column('commend_points_centi', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('commendations_sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('commendations_sent_by', sa.String(length=64), nullable=False,
                                      server_default=''))
    op.create_table('survey_interviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('leaders', sa.String(length=200), nullable=False),
    sa.Column('attendees', sa.String(length=200), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('commitments', sa.Text(), nullable=False),
    sa.Column('follow_up_due', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['survey_campaigns.id'], name=op.f('fk_survey_interviews_campaign_id_survey_campaigns')),
    sa.ForeignKeyConstraint(['department_id'], ['survey_departments.id'], name=op.f('fk_survey_interviews_department_id_survey_departments')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_survey_interviews_matter_id_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_interviews')),
    sa.UniqueConstraint('campaign_id', 'department_id', name=op.f('uq_survey_interviews_campaign_id_department_id'))
    )
    with op.batch_alter_table('survey_interviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_interviews_campaign_id'), ['campaign_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_interviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_interviews_campaign_id'))
    op.drop_table('survey_interviews')
    with op.batch_alter_table('survey_campaigns') as batch_op:
        batch_op.drop_column('commendations_sent_by')
        batch_op.drop_column('commendations_sent_at')
        batch_op.drop_column('commend_points_centi')
