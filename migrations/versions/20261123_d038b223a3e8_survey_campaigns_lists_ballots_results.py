"""survey: campaigns, lists, credentials, ballots, opinions, results

Ballots and opinions have random text keys and no rowid on SQLite (WITHOUT ROWID), so their
storage order follows the random keys, never arrival; nothing links them to credentials or users.

Revision ID: d038b223a3e8
Revises: 925eaca780e7
Create Date: 2026-11-23

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd038b223a3e8'
down_revision = '925eaca780e7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('top_k', sa.Integer(), nullable=False),
    sa.Column('evaluator_quota', sa.Integer(), nullable=False),
    sa.Column('plan_date', sa.Date(), nullable=False),
    sa.Column('lists_due', sa.Date(), nullable=False),
    sa.Column('mobilisation_date', sa.Date(), nullable=False),
    sa.Column('evaluation_date', sa.Date(), nullable=False),
    sa.Column('rectification_date', sa.Date(), nullable=False),
    sa.Column('chain_head', sa.String(length=64), nullable=True),
    sa.Column('sealed_ballots', sa.Integer(), nullable=True),
    sa.Column('tallied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rectification_deadline', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'lists_confirmed', 'open', 'closed', 'published', 'rectification', 'archived')", name=op.f('ck_survey_campaigns_status')),
    sa.CheckConstraint('top_k >= 1', name=op.f('ck_survey_campaigns_top_k')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_survey_campaigns_approved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_campaigns')),
    sa.UniqueConstraint('year', name=op.f('uq_survey_campaigns_year'))
    )
    op.create_table('survey_ballots',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('receipt_hash', sa.String(length=64), nullable=False),
    sa.Column('enforcement', sa.LargeBinary(), nullable=False),
    sa.Column('service', sa.LargeBinary(), nullable=False),
    sa.Column('enforcement_invalid', sa.Text(), nullable=False),
    sa.Column('service_invalid', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['survey_campaigns.id'], name=op.f('fk_survey_ballots_campaign_id_survey_campaigns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_ballots')),
    sa.UniqueConstraint('receipt_hash', name=op.f('uq_survey_ballots_receipt_hash')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('survey_ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_ballots_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('survey_departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("category IN ('enforcement', 'service')", name=op.f('ck_survey_departments_category')),
    sa.ForeignKeyConstraint(['campaign_id'], ['survey_campaigns.id'], name=op.f('fk_survey_departments_campaign_id_survey_campaigns')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_survey_departments_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_departments')),
    sa.UniqueConstraint('campaign_id', 'code', name=op.f('uq_survey_departments_campaign_id_code'))
    )
    with op.batch_alter_table('survey_departments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_departments_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_departments_unit_id'), ['unit_id'], unique=False)

    op.create_table('survey_evaluators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('enterprise_name', sa.String(length=200), nullable=False),
    sa.Column('head_name', sa.String(length=50), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.CheckConstraint("channel IN ('online', 'paper')", name=op.f('ck_survey_evaluators_channel')),
    sa.ForeignKeyConstraint(['campaign_id'], ['survey_campaigns.id'], name=op.f('fk_survey_evaluators_campaign_id_survey_campaigns')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_survey_evaluators_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_evaluators')),
    sa.UniqueConstraint('campaign_id', 'enterprise_id', name=op.f('uq_survey_evaluators_campaign_id_enterprise_id'))
    )
    with op.batch_alter_table('survey_evaluators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_evaluators_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_evaluators_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('survey_credentials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=True),
    sa.Column('code_hash', sa.String(length=64), nullable=True),
    sa.Column('batch', sa.Integer(), nullable=True),
    sa.Column('void', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('online', 'paper')", name=op.f('ck_survey_credentials_kind')),
    sa.ForeignKeyConstraint(['campaign_id'], ['survey_campaigns.id'], name=op.f('fk_survey_credentials_campaign_id_survey_campaigns')),
    sa.ForeignKeyConstraint(['evaluator_id'], ['survey_evaluators.id'], name=op.f('fk_survey_credentials_evaluator_id_survey_evaluators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_credentials')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_survey_credentials_code_hash')),
    sa.UniqueConstraint('evaluator_id', name=op.f('uq_survey_credentials_evaluator_id'))
    )
    with op.batch_alter_table('survey_credentials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_credentials_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('survey_opinions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('redacted', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['survey_campaigns.id'], name=op.f('fk_survey_opinions_campaign_id_survey_campaigns')),
    sa.ForeignKeyConstraint(['department_id'], ['survey_departments.id'], name=op.f('fk_survey_opinions_department_id_survey_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_opinions')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('survey_opinions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_opinions_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_opinions_department_id'), ['department_id'], unique=False)

    op.create_table('survey_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('satisfied', sa.Integer(), nullable=False),
    sa.Column('basic', sa.Integer(), nullable=False),
    sa.Column('dissatisfied', sa.Integer(), nullable=False),
    sa.Column('unknown', sa.Integer(), nullable=False),
    sa.Column('score_numerator', sa.Integer(), nullable=True),
    sa.Column('score_denominator', sa.Integer(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('commended', sa.Boolean(), nullable=False),
    sa.Column('bottom_two', sa.Boolean(), nullable=False),
    sa.Column('reorganize', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['survey_campaigns.id'], name=op.f('fk_survey_results_campaign_id_survey_campaigns')),
    sa.ForeignKeyConstraint(['department_id'], ['survey_departments.id'], name=op.f('fk_survey_results_department_id_survey_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_results')),
    sa.UniqueConstraint('campaign_id', 'department_id', name=op.f('uq_survey_results_campaign_id_department_id'))
    )
    with op.batch_alter_table('survey_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_results_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('survey_credential_uses',
    sa.Column('credential_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['credential_id'], ['survey_credentials.id'], name=op.f('fk_survey_credential_uses_credential_id_survey_credentials')),
    sa.PrimaryKeyConstraint('credential_id', name=op.f('pk_survey_credential_uses'))
    )


def downgrade():
    op.drop_table('survey_credential_uses')
    with op.batch_alter_table('survey_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_results_campaign_id'))

    op.drop_table('survey_results')
    with op.batch_alter_table('survey_opinions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_opinions_department_id'))
        batch_op.drop_index(batch_op.f('ix_survey_opinions_campaign_id'))

    op.drop_table('survey_opinions')
    with op.batch_alter_table('survey_credentials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_credentials_campaign_id'))

    op.drop_table('survey_credentials')
    with op.batch_alter_table('survey_evaluators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_evaluators_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_survey_evaluators_campaign_id'))

    op.drop_table('survey_evaluators')
    with op.batch_alter_table('survey_departments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_departments_unit_id'))
        batch_op.drop_index(batch_op.f('ix_survey_departments_campaign_id'))

    op.drop_table('survey_departments')
    with op.batch_alter_table('survey_ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_ballots_campaign_id'))

    op.drop_table('survey_ballots')
    op.drop_table('survey_campaigns')
