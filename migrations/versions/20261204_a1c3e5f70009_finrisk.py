"""financial risk and guarantee circles (issue 15)

Revision ID: a1c3e5f70009
Revises: a1c3e5f70008
Create Date: 2026-12-04

Reserved in the migration chain for this piece of work, so that work done side by side lands in
one line of revisions; an unused reservation is removed when the work lands.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f70009'
down_revision = 'a1c3e5f70008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('finrisk_bridge_loans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('disbursed_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('repaid', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('repaid_on', sa.Date(), nullable=True),
    sa.CheckConstraint("status IN ('applied', 'approved', 'rejected', 'disbursed', 'repaid')", name=op.f('ck_finrisk_bridge_loans_status')),
    sa.ForeignKeyConstraint(['bank_id'], ['units.id'], name=op.f('fk_finrisk_bridge_loans_bank_id_units')),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_finrisk_bridge_loans_county_id_units')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_finrisk_bridge_loans_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finrisk_bridge_loans'))
    )
    with op.batch_alter_table('finrisk_bridge_loans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finrisk_bridge_loans_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_bridge_loans_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_bridge_loans_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_bridge_loans_status'), ['status'], unique=False)

    op.create_table('finrisk_fund_pools',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_finrisk_fund_pools_county_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finrisk_fund_pools')),
    sa.UniqueConstraint('county_id', name=op.f('uq_finrisk_fund_pools_county_id'))
    )
    op.create_table('finrisk_guarantees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('contract_no', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('guarantor_id', sa.Integer(), nullable=False),
    sa.Column('borrower_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('guarantor_id <> borrower_id', name=op.f('ck_finrisk_guarantees_not_self')),
    sa.ForeignKeyConstraint(['bank_id'], ['units.id'], name=op.f('fk_finrisk_guarantees_bank_id_units')),
    sa.ForeignKeyConstraint(['borrower_id'], ['enterprises.id'], name=op.f('fk_finrisk_guarantees_borrower_id_enterprises')),
    sa.ForeignKeyConstraint(['guarantor_id'], ['enterprises.id'], name=op.f('fk_finrisk_guarantees_guarantor_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finrisk_guarantees')),
    sa.UniqueConstraint('bank_id', 'contract_no', name=op.f('uq_finrisk_guarantees_bank_id_contract_no'))
    )
    with op.batch_alter_table('finrisk_guarantees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finrisk_guarantees_bank_id'), ['bank_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_guarantees_borrower_id'), ['borrower_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_guarantees_end_date'), ['end_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_guarantees_guarantor_id'), ['guarantor_id'], unique=False)

    op.create_table('finrisk_listed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('stock_code', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_finrisk_listed_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finrisk_listed')),
    sa.UniqueConstraint('enterprise_id', name=op.f('uq_finrisk_listed_enterprise_id')),
    sa.UniqueConstraint('stock_code', name=op.f('uq_finrisk_listed_stock_code'))
    )
    op.create_table('finrisk_loans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('loan_no', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('maturity_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('normal', 'overdue', 'npl', 'repaid')", name=op.f('ck_finrisk_loans_status')),
    sa.ForeignKeyConstraint(['bank_id'], ['units.id'], name=op.f('fk_finrisk_loans_bank_id_units')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_finrisk_loans_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finrisk_loans')),
    sa.UniqueConstraint('bank_id', 'loan_no', name=op.f('uq_finrisk_loans_bank_id_loan_no'))
    )
    with op.batch_alter_table('finrisk_loans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finrisk_loans_bank_id'), ['bank_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_loans_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_loans_maturity_date'), ['maturity_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_loans_status'), ['status'], unique=False)

    op.create_table('finrisk_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('revenue_growth', sa.Float(), nullable=False),
    sa.Column('rd_ratio', sa.Float(), nullable=False),
    sa.Column('high_tech', sa.Boolean(), nullable=False),
    sa.Column('structure', sa.String(length=12), nullable=False),
    sa.Column('employees', sa.Integer(), nullable=False),
    sa.Column('signals', sa.String(length=200), nullable=False),
    sa.Column('signal_notes', sa.Text(), nullable=False),
    sa.Column('scores', sa.String(length=300), nullable=False),
    sa.Column('fundamentals', sa.Float(), nullable=False),
    sa.Column('proposed', sa.String(length=10), nullable=True),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed', sa.String(length=10), nullable=True),
    sa.Column('confirm_reason', sa.Text(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("structure IN ('encouraged', 'neutral', 'restricted')", name=op.f('ck_finrisk_assessments_structure')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_finrisk_assessments_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_finrisk_assessments_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finrisk_assessments')),
    sa.UniqueConstraint('enterprise_id', 'year', name=op.f('uq_finrisk_assessments_enterprise_id_year'))
    )
    with op.batch_alter_table('finrisk_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finrisk_assessments_confirmed'), ['confirmed'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_assessments_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_assessments_proposed'), ['proposed'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_assessments_year'), ['year'], unique=False)

    op.create_table('finrisk_evasion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('person_name', sa.String(length=50), nullable=False),
    sa.Column('person_id_hash', sa.String(length=64), nullable=True),
    sa.Column('person_id_masked', sa.String(length=18), nullable=False),
    sa.Column('found_on', sa.Date(), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=True),
    sa.Column('lifted_on', sa.Date(), nullable=True),
    sa.Column('lift_reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['bank_id'], ['units.id'], name=op.f('fk_finrisk_evasion_bank_id_units')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_finrisk_evasion_created_by_id_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_finrisk_evasion_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finrisk_evasion'))
    )
    with op.batch_alter_table('finrisk_evasion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finrisk_evasion_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_evasion_person_id_hash'), ['person_id_hash'], unique=False)

    op.create_table('finrisk_joint_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('half', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('participants', sa.Text(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('half IN (1, 2)', name=op.f('ck_finrisk_joint_reviews_half')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_finrisk_joint_reviews_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finrisk_joint_reviews')),
    sa.UniqueConstraint('year', 'half', name=op.f('uq_finrisk_joint_reviews_year_half'))
    )
    op.create_table('finrisk_leader_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('leader_user_id', sa.Integer(), nullable=True),
    sa.Column('leader_name', sa.String(length=50), nullable=False),
    sa.Column('leader_post', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_finrisk_leader_links_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['leader_user_id'], ['users.id'], name=op.f('fk_finrisk_leader_links_leader_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finrisk_leader_links')),
    sa.UniqueConstraint('enterprise_id', name=op.f('uq_finrisk_leader_links_enterprise_id'))
    )
    with op.batch_alter_table('finrisk_leader_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finrisk_leader_links_leader_user_id'), ['leader_user_id'], unique=False)

    op.create_table('finrisk_listed_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listed_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('pledge_ratio', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('bonds_outstanding', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('bonds_due_year', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_finrisk_listed_checks_quarter')),
    sa.ForeignKeyConstraint(['listed_id'], ['finrisk_listed.id'], name=op.f('fk_finrisk_listed_checks_listed_id_finrisk_listed')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finrisk_listed_checks')),
    sa.UniqueConstraint('listed_id', 'year', 'quarter', name=op.f('uq_finrisk_listed_checks_listed_id_year_quarter'))
    )
    with op.batch_alter_table('finrisk_listed_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finrisk_listed_checks_listed_id'), ['listed_id'], unique=False)

    op.create_table('finrisk_maturities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('loan_id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('maturity_date', sa.Date(), nullable=False),
    sa.Column('warning_date', sa.Date(), nullable=False),
    sa.Column('plan_due', sa.Date(), nullable=False),
    sa.Column('funds_due', sa.Date(), nullable=False),
    sa.Column('warning_matter_id', sa.Integer(), nullable=True),
    sa.Column('plan_matter_id', sa.Integer(), nullable=True),
    sa.Column('funds_matter_id', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('county_note', sa.Text(), nullable=False),
    sa.Column('repayment_plan', sa.Text(), nullable=False),
    sa.Column('funds_source', sa.Text(), nullable=False),
    sa.Column('plan_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('funds_amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('funds_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('plan_missed', sa.Boolean(), nullable=False),
    sa.Column('funds_missed', sa.Boolean(), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_finrisk_maturities_county_id_units')),
    sa.ForeignKeyConstraint(['funds_matter_id'], ['matters.id'], name=op.f('fk_finrisk_maturities_funds_matter_id_matters')),
    sa.ForeignKeyConstraint(['loan_id'], ['finrisk_loans.id'], name=op.f('fk_finrisk_maturities_loan_id_finrisk_loans')),
    sa.ForeignKeyConstraint(['plan_matter_id'], ['matters.id'], name=op.f('fk_finrisk_maturities_plan_matter_id_matters')),
    sa.ForeignKeyConstraint(['warning_matter_id'], ['matters.id'], name=op.f('fk_finrisk_maturities_warning_matter_id_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finrisk_maturities')),
    sa.UniqueConstraint('loan_id', 'maturity_date', name=op.f('uq_finrisk_maturities_loan_id_maturity_date'))
    )
    with op.batch_alter_table('finrisk_maturities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finrisk_maturities_closed'), ['closed'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_maturities_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_maturities_loan_id'), ['loan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_maturities_maturity_date'), ['maturity_date'], unique=False)

    op.create_table('finrisk_rescues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=12), nullable=False),
    sa.Column('nomination', sa.Text(), nullable=False),
    sa.Column('nominated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('auditor', sa.String(length=100), nullable=False),
    sa.Column('capital_flight', sa.Boolean(), nullable=True),
    sa.Column('malicious_evasion', sa.Boolean(), nullable=True),
    sa.Column('rescue_value', sa.Boolean(), nullable=True),
    sa.Column('assessment_note', sa.Text(), nullable=False),
    sa.Column('assessed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('owner_unit_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('matter_id', sa.Integer(), nullable=True),
    sa.Column('procedure', sa.String(length=20), nullable=True),
    sa.Column('handover_matter_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_finrisk_rescues_county_id_units')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_finrisk_rescues_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['handover_matter_id'], ['matters.id'], name=op.f('fk_finrisk_rescues_handover_matter_id_matters')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_finrisk_rescues_matter_id_matters')),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_finrisk_rescues_owner_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finrisk_rescues')),
    sa.UniqueConstraint('enterprise_id', 'year', name=op.f('uq_finrisk_rescues_enterprise_id_year'))
    )
    with op.batch_alter_table('finrisk_rescues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finrisk_rescues_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_rescues_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_rescues_stage'), ['stage'], unique=False)
        batch_op.create_index(batch_op.f('ix_finrisk_rescues_year'), ['year'], unique=False)

    op.create_table('finrisk_rescue_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rescue_id', sa.Integer(), nullable=False),
    sa.Column('route', sa.String(length=12), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['rescue_id'], ['finrisk_rescues.id'], name=op.f('fk_finrisk_rescue_steps_rescue_id_finrisk_rescues')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_finrisk_rescue_steps_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finrisk_rescue_steps'))
    )
    with op.batch_alter_table('finrisk_rescue_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finrisk_rescue_steps_rescue_id'), ['rescue_id'], unique=False)



def downgrade():
    with op.batch_alter_table('finrisk_rescue_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finrisk_rescue_steps_rescue_id'))

    op.drop_table('finrisk_rescue_steps')
    with op.batch_alter_table('finrisk_rescues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finrisk_rescues_year'))
        batch_op.drop_index(batch_op.f('ix_finrisk_rescues_stage'))
        batch_op.drop_index(batch_op.f('ix_finrisk_rescues_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_finrisk_rescues_county_id'))

    op.drop_table('finrisk_rescues')
    with op.batch_alter_table('finrisk_maturities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finrisk_maturities_maturity_date'))
        batch_op.drop_index(batch_op.f('ix_finrisk_maturities_loan_id'))
        batch_op.drop_index(batch_op.f('ix_finrisk_maturities_county_id'))
        batch_op.drop_index(batch_op.f('ix_finrisk_maturities_closed'))

    op.drop_table('finrisk_maturities')
    with op.batch_alter_table('finrisk_listed_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finrisk_listed_checks_listed_id'))

    op.drop_table('finrisk_listed_checks')
    with op.batch_alter_table('finrisk_leader_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finrisk_leader_links_leader_user_id'))

    op.drop_table('finrisk_leader_links')
    op.drop_table('finrisk_joint_reviews')
    with op.batch_alter_table('finrisk_evasion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finrisk_evasion_person_id_hash'))
        batch_op.drop_index(batch_op.f('ix_finrisk_evasion_enterprise_id'))

    op.drop_table('finrisk_evasion')
    with op.batch_alter_table('finrisk_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finrisk_assessments_year'))
        batch_op.drop_index(batch_op.f('ix_finrisk_assessments_proposed'))
        batch_op.drop_index(batch_op.f('ix_finrisk_assessments_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_finrisk_assessments_confirmed'))

    op.drop_table('finrisk_assessments')
    with op.batch_alter_table('finrisk_loans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finrisk_loans_status'))
        batch_op.drop_index(batch_op.f('ix_finrisk_loans_maturity_date'))
        batch_op.drop_index(batch_op.f('ix_finrisk_loans_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_finrisk_loans_bank_id'))

    op.drop_table('finrisk_loans')
    op.drop_table('finrisk_listed')
    with op.batch_alter_table('finrisk_guarantees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finrisk_guarantees_guarantor_id'))
        batch_op.drop_index(batch_op.f('ix_finrisk_guarantees_end_date'))
        batch_op.drop_index(batch_op.f('ix_finrisk_guarantees_borrower_id'))
        batch_op.drop_index(batch_op.f('ix_finrisk_guarantees_bank_id'))

    op.drop_table('finrisk_guarantees')
    op.drop_table('finrisk_fund_pools')
    with op.batch_alter_table('finrisk_bridge_loans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finrisk_bridge_loans_status'))
        batch_op.drop_index(batch_op.f('ix_finrisk_bridge_loans_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_finrisk_bridge_loans_due_on'))
        batch_op.drop_index(batch_op.f('ix_finrisk_bridge_loans_county_id'))

    op.drop_table('finrisk_bridge_loans')
