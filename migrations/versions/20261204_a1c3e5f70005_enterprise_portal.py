"""enterprise portal, 扫码入企, inspection rules (issue 12)

Revision ID: a1c3e5f70005
Revises: a1c3e5f70003
Create Date: 2026-12-04

The enterprise portal's tables (activations, outbox, check codes, visits and ratings, retaliation
flags) and the inspection rules' (linked items, cancelled items, plan changes, unit categories,
recusals, the draws' weights and load limit). Columns added to existing tables get server defaults
that keep the old rows' meaning: old draws had weight 1 and excluded A enterprises everywhere.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f70005'
down_revision = 'a1c3e5f70003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('inspection_unit_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('basis', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_inspection_unit_categories_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_unit_categories')),
    sa.UniqueConstraint('unit_id', 'category', name=op.f('uq_inspection_unit_categories_unit_id_category'))
    )
    op.create_table('portal_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('recipient', sa.String(length=30), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_portal_outbox_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_outbox'))
    )
    with op.batch_alter_table('portal_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_outbox_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_portal_outbox_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('inspection_recusals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('declared_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('declared_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['declared_by_id'], ['users.id'], name=op.f('fk_inspection_recusals_declared_by_id_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_inspection_recusals_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_inspection_recusals_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_recusals'))
    )
    with op.batch_alter_table('inspection_recusals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_recusals_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_inspection_recusals_person_enterprise', ['person_id', 'enterprise_id'], unique=False)

    op.create_table('portal_activations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('batch', sa.String(length=40), nullable=False),
    sa.CheckConstraint("kind IN ('sms', 'letter')", name=op.f('ck_portal_activations_kind')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_portal_activations_created_by_id_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_portal_activations_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_activations'))
    )
    with op.batch_alter_table('portal_activations', schema=None) as batch_op:
        batch_op.create_index('ix_portal_activations_enterprise_created', ['enterprise_id', 'created_at'], unique=False)

    op.create_table('portal_retaliation_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('after', sa.Integer(), nullable=False),
    sa.Column('before', sa.Integer(), nullable=False),
    sa.Column('elapsed', sa.Integer(), nullable=False),
    sa.Column('peer_median', sa.String(length=20), nullable=False),
    sa.Column('flagged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=True),
    sa.Column('referral_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("source IN ('complaint', 'objection')", name=op.f('ck_portal_retaliation_flags_source')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_portal_retaliation_flags_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_portal_retaliation_flags_matter_id_matters')),
    sa.ForeignKeyConstraint(['referral_id'], ['matters.id'], name=op.f('fk_portal_retaliation_flags_referral_id_matters')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_portal_retaliation_flags_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_retaliation_flags')),
    sa.UniqueConstraint('source', 'source_id', 'unit_id', name=op.f('uq_portal_retaliation_flags_source_source_id_unit_id'))
    )
    with op.batch_alter_table('portal_retaliation_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_retaliation_flags_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('inspection_plan_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'filed', 'accepted', 'returned')", name=op.f('ck_inspection_plan_changes_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_inspection_plan_changes_created_by_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['inspection_plans.id'], name=op.f('fk_inspection_plan_changes_plan_id_inspection_plans')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_inspection_plan_changes_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_plan_changes'))
    )
    with op.batch_alter_table('inspection_plan_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_plan_changes_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_plan_changes_status'), ['status'], unique=False)

    op.create_table('inspection_plan_change_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('change_id', sa.Integer(), nullable=False),
    sa.Column('op', sa.String(length=10), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('basis', sa.String(length=12), nullable=False),
    sa.Column('ground', sa.String(length=200), nullable=False),
    sa.Column('planned_date', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('violation', sa.String(length=20), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.CheckConstraint("op IN ('add', 'cancel', 'reschedule')", name=op.f('ck_inspection_plan_change_lines_op')),
    sa.ForeignKeyConstraint(['change_id'], ['inspection_plan_changes.id'], name=op.f('fk_inspection_plan_change_lines_change_id_inspection_plan_changes')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_inspection_plan_change_lines_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['item_id'], ['inspection_plan_items.id'], name=op.f('fk_inspection_plan_change_lines_item_id_inspection_plan_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_plan_change_lines'))
    )
    with op.batch_alter_table('inspection_plan_change_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_plan_change_lines_change_id'), ['change_id'], unique=False)

    op.create_table('portal_check_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_portal_check_codes_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_portal_check_codes_issued_by_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['inspection_plan_items.id'], name=op.f('fk_portal_check_codes_item_id_inspection_plan_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_check_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_portal_check_codes_code_hash'))
    )
    with op.batch_alter_table('portal_check_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_check_codes_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_portal_check_codes_item_enterprise', ['item_id', 'enterprise_id'], unique=False)

    op.create_table('portal_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('inspectors', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('conduct', sa.Integer(), nullable=True),
    sa.Column('burden', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('confirmed', 'unfiled')", name=op.f('ck_portal_visits_kind')),
    sa.CheckConstraint('burden IS NULL OR burden BETWEEN 1 AND 5', name=op.f('ck_portal_visits_burden')),
    sa.CheckConstraint('conduct IS NULL OR conduct BETWEEN 1 AND 5', name=op.f('ck_portal_visits_conduct')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_portal_visits_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['item_id'], ['inspection_plan_items.id'], name=op.f('fk_portal_visits_item_id_inspection_plan_items')),
    sa.ForeignKeyConstraint(['report_id'], ['inspection_reports.id'], name=op.f('fk_portal_visits_report_id_inspection_reports')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_portal_visits_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_portal_visits_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_visits')),
    sa.UniqueConstraint('item_id', 'enterprise_id', name=op.f('uq_portal_visits_item_id_enterprise_id'))
    )
    with op.batch_alter_table('portal_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_visits_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_portal_visits_unit_day', ['unit_id', 'visit_date'], unique=False)

    op.create_table('inspection_draw_recusals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.ForeignKeyConstraint(['draw_id'], ['inspection_draws.id'], name=op.f('fk_inspection_draw_recusals_draw_id_inspection_draws')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_draw_recusals')),
    sa.UniqueConstraint('draw_id', 'code', 'credit_code', name=op.f('uq_inspection_draw_recusals_draw_id_code_credit_code'))
    )
    with op.batch_alter_table('inspection_draw_recusals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_draw_recusals_draw_id'), ['draw_id'], unique=False)

    with op.batch_alter_table('inspection_draw_candidates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weight', sa.Integer(), nullable=False, server_default='1'))

    with op.batch_alter_table('inspection_draws', schema=None) as batch_op:
        batch_op.add_column(sa.Column('c_weight', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('max_load', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('a_scope', sa.String(length=10), nullable=False, server_default='all'))

    with op.batch_alter_table('inspection_plan_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carries_out_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=500), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_inspection_plan_items_carries_out_id'), ['carries_out_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_inspection_plan_items_carries_out_id_inspection_plan_items'), 'inspection_plan_items', ['carries_out_id'], ['id'])



def downgrade():
    with op.batch_alter_table('inspection_plan_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_inspection_plan_items_carries_out_id_inspection_plan_items'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_inspection_plan_items_carries_out_id'))
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('carries_out_id')

    with op.batch_alter_table('inspection_draws', schema=None) as batch_op:
        batch_op.drop_column('a_scope')
        batch_op.drop_column('max_load')
        batch_op.drop_column('c_weight')

    with op.batch_alter_table('inspection_draw_candidates', schema=None) as batch_op:
        batch_op.drop_column('weight')

    with op.batch_alter_table('inspection_draw_recusals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_draw_recusals_draw_id'))

    op.drop_table('inspection_draw_recusals')
    with op.batch_alter_table('portal_visits', schema=None) as batch_op:
        batch_op.drop_index('ix_portal_visits_unit_day')
        batch_op.drop_index(batch_op.f('ix_portal_visits_enterprise_id'))

    op.drop_table('portal_visits')
    with op.batch_alter_table('portal_check_codes', schema=None) as batch_op:
        batch_op.drop_index('ix_portal_check_codes_item_enterprise')
        batch_op.drop_index(batch_op.f('ix_portal_check_codes_enterprise_id'))

    op.drop_table('portal_check_codes')
    with op.batch_alter_table('inspection_plan_change_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_plan_change_lines_change_id'))

    op.drop_table('inspection_plan_change_lines')
    with op.batch_alter_table('inspection_plan_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_plan_changes_status'))
        batch_op.drop_index(batch_op.f('ix_inspection_plan_changes_plan_id'))

    op.drop_table('inspection_plan_changes')
    with op.batch_alter_table('portal_retaliation_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_retaliation_flags_enterprise_id'))

    op.drop_table('portal_retaliation_flags')
    with op.batch_alter_table('portal_activations', schema=None) as batch_op:
        batch_op.drop_index('ix_portal_activations_enterprise_created')

    op.drop_table('portal_activations')
    with op.batch_alter_table('inspection_recusals', schema=None) as batch_op:
        batch_op.drop_index('ix_inspection_recusals_person_enterprise')
        batch_op.drop_index(batch_op.f('ix_inspection_recusals_enterprise_id'))

    op.drop_table('inspection_recusals')
    with op.batch_alter_table('portal_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_outbox_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_portal_outbox_created_at'))

    op.drop_table('portal_outbox')
    op.drop_table('inspection_unit_categories')
