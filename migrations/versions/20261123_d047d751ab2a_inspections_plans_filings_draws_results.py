"""inspections: plans, filings, draws, results, fines, circulars, reports

The tables of Module 3 (govsvc/inspections/models.py). Revises the foundation's latest revision;
the integrator chains the modules' migrations when merging.

Revision ID: d047d751ab2a
Revises: d038b223a3e8
Create Date: 2026-11-23

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd047d751ab2a'
down_revision = 'd038b223a3e8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('inspection_circulars',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_inspection_circulars_issued_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_circulars')),
    sa.UniqueConstraint('year', 'quarter', name=op.f('uq_inspection_circulars_year_quarter'))
    )
    op.create_table('inspection_fine_transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('total', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_inspection_fine_transfers_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_fine_transfers'))
    )
    op.create_table('inspection_plan_filings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'returned')", name=op.f('ck_inspection_plan_filings_status')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_inspection_plan_filings_filed_by_id_users')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_inspection_plan_filings_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_inspection_plan_filings_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_plan_filings'))
    )
    with op.batch_alter_table('inspection_plan_filings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_plan_filings_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_plan_filings_unit_id'), ['unit_id'], unique=False)

    op.create_table('inspection_result_filings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_inspection_result_filings_filed_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_inspection_result_filings_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_result_filings'))
    )
    with op.batch_alter_table('inspection_result_filings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_result_filings_unit_id'), ['unit_id'], unique=False)

    op.create_table('inspection_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('slot', sa.String(length=30), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_filed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=False),
    sa.Column('filing_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("period IN ('annual', 'quarterly', 'monthly', 'temporary')", name=op.f('ck_inspection_plans_period')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'filed', 'accepted', 'returned')", name=op.f('ck_inspection_plans_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_inspection_plans_created_by_id_users')),
    sa.ForeignKeyConstraint(['filing_id'], ['inspection_plan_filings.id'], name=op.f('fk_inspection_plans_filing_id_inspection_plan_filings')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_inspection_plans_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_plans')),
    sa.UniqueConstraint('unit_id', 'slot', name=op.f('uq_inspection_plans_unit_id_slot'))
    )
    with op.batch_alter_table('inspection_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_plans_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_plans_filing_id'), ['filing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_plans_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_plans_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_plans_year'), ['year'], unique=False)

    op.create_table('inspection_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('incident_date', sa.Date(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_inspection_reports_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_inspection_reports_matter_id_matters')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_inspection_reports_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_inspection_reports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_reports')),
    sa.UniqueConstraint('matter_id', name=op.f('uq_inspection_reports_matter_id'))
    )
    with op.batch_alter_table('inspection_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_reports_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_reports_user_id'), ['user_id'], unique=False)

    op.create_table('inspection_filing_plans',
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['filing_id'], ['inspection_plan_filings.id'], name=op.f('fk_inspection_filing_plans_filing_id_inspection_plan_filings')),
    sa.ForeignKeyConstraint(['plan_id'], ['inspection_plans.id'], name=op.f('fk_inspection_filing_plans_plan_id_inspection_plans')),
    sa.PrimaryKeyConstraint('filing_id', 'plan_id', name=op.f('pk_inspection_filing_plans'))
    )
    op.create_table('inspection_plan_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['inspection_plans.id'], name=op.f('fk_inspection_plan_events_plan_id_inspection_plans')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_inspection_plan_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_plan_events'))
    )
    with op.batch_alter_table('inspection_plan_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_plan_events_plan_id'), ['plan_id'], unique=False)

    op.create_table('inspection_plan_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('draw_count', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('basis', sa.String(length=12), nullable=False),
    sa.Column('ground', sa.String(length=200), nullable=False),
    sa.Column('planned_date', sa.Date(), nullable=False),
    sa.Column('planned_end', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('check_status', sa.String(length=10), nullable=False),
    sa.Column('violation', sa.String(length=20), nullable=False),
    sa.Column('grade', sa.String(length=1), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(enterprise_id IS NOT NULL AND draw_count IS NULL) OR (enterprise_id IS NULL AND draw_count > 0 AND basis = 'random')", name=op.f('ck_inspection_plan_items_target')),
    sa.CheckConstraint("basis IN ('random', 'complaint', 'environment', 'safety', 'statutory')", name=op.f('ck_inspection_plan_items_basis')),
    sa.CheckConstraint("check_status IN ('pending', 'ok', 'refused')", name=op.f('ck_inspection_plan_items_check_status')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_inspection_plan_items_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['plan_id'], ['inspection_plans.id'], name=op.f('fk_inspection_plan_items_plan_id_inspection_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_plan_items'))
    )
    with op.batch_alter_table('inspection_plan_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_plan_items_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_plan_items_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_plan_items_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_plan_items_planned_date'), ['planned_date'], unique=False)

    op.create_table('inspection_draws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('per_team', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=200), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=False),
    sa.Column('commitment', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('prepared_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('prepared_by_id', sa.Integer(), nullable=True),
    sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('prepared', 'drawn')", name=op.f('ck_inspection_draws_status')),
    sa.ForeignKeyConstraint(['item_id'], ['inspection_plan_items.id'], name=op.f('fk_inspection_draws_item_id_inspection_plan_items')),
    sa.ForeignKeyConstraint(['prepared_by_id'], ['users.id'], name=op.f('fk_inspection_draws_prepared_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_inspection_draws_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_draws')),
    sa.UniqueConstraint('item_id', name=op.f('uq_inspection_draws_item_id'))
    )
    with op.batch_alter_table('inspection_draws', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_draws_unit_id'), ['unit_id'], unique=False)

    op.create_table('inspection_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('inspected_on', sa.Date(), nullable=False),
    sa.Column('inspectors', sa.String(length=300), nullable=False),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('basis', sa.String(length=12), nullable=False),
    sa.Column('conclusion', sa.String(length=10), nullable=False),
    sa.Column('decision_number', sa.String(length=100), nullable=False),
    sa.Column('penalty_type', sa.String(length=30), nullable=False),
    sa.Column('fine', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('grade', sa.String(length=1), nullable=False),
    sa.Column('unfiled', sa.Boolean(), nullable=False),
    sa.Column('unfiled_reason', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('filing_id', sa.Integer(), nullable=True),
    sa.Column('transfer_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("conclusion IN ('clear', 'penalty')", name=op.f('ck_inspection_results_conclusion')),
    sa.CheckConstraint("status IN ('draft', 'filed')", name=op.f('ck_inspection_results_status')),
    sa.CheckConstraint('fine >= 0', name=op.f('ck_inspection_results_fine')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_inspection_results_created_by_id_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_inspection_results_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['filing_id'], ['inspection_result_filings.id'], name=op.f('fk_inspection_results_filing_id_inspection_result_filings')),
    sa.ForeignKeyConstraint(['item_id'], ['inspection_plan_items.id'], name=op.f('fk_inspection_results_item_id_inspection_plan_items')),
    sa.ForeignKeyConstraint(['transfer_id'], ['inspection_fine_transfers.id'], name=op.f('fk_inspection_results_transfer_id_inspection_fine_transfers')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_inspection_results_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_results'))
    )
    with op.batch_alter_table('inspection_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_results_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_results_filing_id'), ['filing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_results_inspected_on'), ['inspected_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_results_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_results_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_results_transfer_id'), ['transfer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_results_unfiled'), ['unfiled'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_results_unit_id'), ['unit_id'], unique=False)

    op.create_table('inspection_draw_candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('grade', sa.String(length=1), nullable=False),
    sa.Column('excluded', sa.String(length=20), nullable=False),
    sa.Column('pick_rank', sa.Integer(), nullable=True),
    sa.Column('team', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['draw_id'], ['inspection_draws.id'], name=op.f('fk_inspection_draw_candidates_draw_id_inspection_draws')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_inspection_draw_candidates_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_draw_candidates')),
    sa.UniqueConstraint('draw_id', 'credit_code', name=op.f('uq_inspection_draw_candidates_draw_id_credit_code'))
    )
    with op.batch_alter_table('inspection_draw_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_draw_candidates_draw_id'), ['draw_id'], unique=False)

    op.create_table('inspection_draw_inspectors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('unit_name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['draw_id'], ['inspection_draws.id'], name=op.f('fk_inspection_draw_inspectors_draw_id_inspection_draws')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_inspection_draw_inspectors_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_draw_inspectors')),
    sa.UniqueConstraint('draw_id', 'code', name=op.f('uq_inspection_draw_inspectors_draw_id_code'))
    )
    with op.batch_alter_table('inspection_draw_inspectors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_draw_inspectors_draw_id'), ['draw_id'], unique=False)



def downgrade():
    with op.batch_alter_table('inspection_draw_inspectors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_draw_inspectors_draw_id'))

    op.drop_table('inspection_draw_inspectors')
    with op.batch_alter_table('inspection_draw_candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_draw_candidates_draw_id'))

    op.drop_table('inspection_draw_candidates')
    with op.batch_alter_table('inspection_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_results_unit_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_results_unfiled'))
        batch_op.drop_index(batch_op.f('ix_inspection_results_transfer_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_results_status'))
        batch_op.drop_index(batch_op.f('ix_inspection_results_item_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_results_inspected_on'))
        batch_op.drop_index(batch_op.f('ix_inspection_results_filing_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_results_enterprise_id'))

    op.drop_table('inspection_results')
    with op.batch_alter_table('inspection_draws', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_draws_unit_id'))

    op.drop_table('inspection_draws')
    with op.batch_alter_table('inspection_plan_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_plan_items_planned_date'))
        batch_op.drop_index(batch_op.f('ix_inspection_plan_items_plan_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_plan_items_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_plan_items_category'))

    op.drop_table('inspection_plan_items')
    with op.batch_alter_table('inspection_plan_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_plan_events_plan_id'))

    op.drop_table('inspection_plan_events')
    op.drop_table('inspection_filing_plans')
    with op.batch_alter_table('inspection_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_reports_user_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_reports_enterprise_id'))

    op.drop_table('inspection_reports')
    with op.batch_alter_table('inspection_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_plans_year'))
        batch_op.drop_index(batch_op.f('ix_inspection_plans_unit_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_plans_status'))
        batch_op.drop_index(batch_op.f('ix_inspection_plans_filing_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_plans_due_date'))

    op.drop_table('inspection_plans')
    with op.batch_alter_table('inspection_result_filings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_result_filings_unit_id'))

    op.drop_table('inspection_result_filings')
    with op.batch_alter_table('inspection_plan_filings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_plan_filings_unit_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_plan_filings_status'))

    op.drop_table('inspection_plan_filings')
    op.drop_table('inspection_fine_transfers')
    op.drop_table('inspection_circulars')
