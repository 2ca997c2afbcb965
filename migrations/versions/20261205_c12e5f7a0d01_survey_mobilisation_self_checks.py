"""survey: 动员部署 — the notice to the rated departments and their self-check reports

Revision ID: c12e5f7a0d01
Revises: a1c3e5f7000c
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'c12e5f7a0d01'
down_revision = 'a1c3e5f7000c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey_campaigns') as batch_op:
        batch_op.add_column(sa.Column('notice_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('notice_issued_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('self_check_due', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('notice_recorded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('notice_recorded_by', sa.String(length=64), nullable=False,
                                      server_default=''))
    op.create_table('survey_self_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('signed_by', sa.String(length=100), nullable=False),
    sa.Column('correction_note', sa.Text(), nullable=False),
    sa.Column('on_paper', sa.Boolean(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_survey_self_checks_version')),
    sa.ForeignKeyConstraint(['campaign_id'], ['survey_campaigns.id'], name=op.f('fk_survey_self_checks_campaign_id_survey_campaigns')),
    sa.ForeignKeyConstraint(['department_id'], ['survey_departments.id'], name=op.f('fk_survey_self_checks_department_id_survey_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_self_checks')),
    sa.UniqueConstraint('campaign_id', 'department_id', 'version', name=op.f('uq_survey_self_checks_campaign_id_department_id_version'))
    )
    with op.batch_alter_table('survey_self_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_self_checks_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_self_checks_department_id'), ['department_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_self_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_self_checks_department_id'))
        batch_op.drop_index(batch_op.f('ix_survey_self_checks_campaign_id'))
    op.drop_table('survey_self_checks')
    with op.batch_alter_table('survey_campaigns') as batch_op:
        batch_op.drop_column('self_check_due')
        batch_op.drop_column('notice_recorded_by')
        batch_op.drop_column('notice_recorded_at')
        batch_op.drop_column('notice_issued_on')
        batch_op.drop_column('notice_text')
