"""grading: enforcement records, grading rounds, unit lists, results, changes, downgrade proposals,
objections and complaints

Revision ID: 925eaca780e7
Revises: fa7cbdc037ed
Create Date: 2026-11-23

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '925eaca780e7'
down_revision = 'fa7cbdc037ed'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('enforcement_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('fine', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('decision_no', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("outcome IN ('none', 'minor', 'serious')", name=op.f('ck_enforcement_records_outcome')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_enforcement_records_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_enforcement_records_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enforcement_records')),
    sa.UniqueConstraint('enterprise_id', 'unit_id', 'date', 'decision_no', name=op.f('uq_enforcement_records_enterprise_id_unit_id_date_decision_no'))
    )
    with op.batch_alter_table('enforcement_records', schema=None) as batch_op:
        batch_op.create_index('ix_enforcement_records_date_outcome', ['date', 'outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_enforcement_records_unit_id'), ['unit_id'], unique=False)

    op.create_table('grading_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('rules_toml', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('return_note', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'computed', 'submitted', 'returned', 'published')", name=op.f('ck_grading_rounds_status')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_grading_rounds_approved_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_grading_rounds_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_rounds')),
    sa.UniqueConstraint('year', name=op.f('uq_grading_rounds_year'))
    )
    op.create_table('grading_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('from_grade', sa.String(length=1), nullable=False),
    sa.Column('to_grade', sa.String(length=1), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('after_publication', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.CheckConstraint("from_grade IN ('A', 'B', 'C')", name=op.f('ck_grading_changes_from_grade')),
    sa.CheckConstraint("kind IN ('adjust', 'downgrade', 'objection')", name=op.f('ck_grading_changes_kind')),
    sa.CheckConstraint("to_grade IN ('A', 'B', 'C')", name=op.f('ck_grading_changes_to_grade')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_grading_changes_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['round_id'], ['grading_rounds.id'], name=op.f('fk_grading_changes_round_id_grading_rounds')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_grading_changes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_changes'))
    )
    with op.batch_alter_table('grading_changes', schema=None) as batch_op:
        batch_op.create_index('ix_grading_changes_round_enterprise', ['round_id', 'enterprise_id'], unique=False)

    op.create_table('grading_complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('inspection_date', sa.Date(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finding', sa.String(length=12), nullable=True),
    sa.Column('finding_text', sa.Text(), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('verified_by', sa.String(length=64), nullable=False),
    sa.Column('circular_text', sa.Text(), nullable=False),
    sa.Column('circulated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('referred_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('referred_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint("finding IS NULL OR finding IN ('upheld', 'not_upheld')", name=op.f('ck_grading_complaints_finding')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_grading_complaints_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_grading_complaints_filed_by_id_users')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_grading_complaints_matter_id_matters')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_grading_complaints_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_complaints'))
    )
    with op.batch_alter_table('grading_complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grading_complaints_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grading_complaints_unit_id'), ['unit_id'], unique=False)

    op.create_table('grading_downgrade_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('from_grade', sa.String(length=1), nullable=False),
    sa.Column('proposed_grade', sa.String(length=1), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name=op.f('ck_grading_downgrade_proposals_status')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_grading_downgrade_proposals_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['record_id'], ['enforcement_records.id'], name=op.f('fk_grading_downgrade_proposals_record_id_enforcement_records')),
    sa.ForeignKeyConstraint(['round_id'], ['grading_rounds.id'], name=op.f('fk_grading_downgrade_proposals_round_id_grading_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_downgrade_proposals'))
    )
    with op.batch_alter_table('grading_downgrade_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grading_downgrade_proposals_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_grading_downgrade_proposals_status', ['status', 'round_id'], unique=False)

    op.create_table('grading_objections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=True),
    sa.Column('new_grade', sa.String(length=1), nullable=True),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint("decision IS NULL OR decision IN ('upheld', 'rejected')", name=op.f('ck_grading_objections_decision')),
    sa.CheckConstraint("new_grade IS NULL OR new_grade IN ('A', 'B', 'C')", name=op.f('ck_grading_objections_new_grade')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_grading_objections_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_grading_objections_filed_by_id_users')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_grading_objections_matter_id_matters')),
    sa.ForeignKeyConstraint(['round_id'], ['grading_rounds.id'], name=op.f('fk_grading_objections_round_id_grading_rounds')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_grading_objections_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_objections'))
    )
    with op.batch_alter_table('grading_objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grading_objections_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('grading_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('computed_grade', sa.String(length=1), nullable=False),
    sa.Column('grade', sa.String(length=1), nullable=False),
    sa.Column('published_grade', sa.String(length=1), nullable=True),
    sa.Column('unit_grades', sa.String(length=400), nullable=False),
    sa.Column('unit_reasons', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.CheckConstraint("computed_grade IN ('A', 'B', 'C')", name=op.f('ck_grading_results_computed_grade')),
    sa.CheckConstraint("grade IN ('A', 'B', 'C')", name=op.f('ck_grading_results_grade')),
    sa.CheckConstraint("published_grade IS NULL OR published_grade IN ('A', 'B', 'C')", name=op.f('ck_grading_results_published_grade')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_grading_results_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['round_id'], ['grading_rounds.id'], name=op.f('fk_grading_results_round_id_grading_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_results')),
    sa.UniqueConstraint('round_id', 'enterprise_id', name=op.f('uq_grading_results_round_id_enterprise_id'))
    )
    with op.batch_alter_table('grading_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grading_results_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_grading_results_round_grade', ['round_id', 'grade'], unique=False)

    op.create_table('grading_round_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint("method IS NULL OR method IN ('rule', 'list')", name=op.f('ck_grading_round_units_method')),
    sa.ForeignKeyConstraint(['round_id'], ['grading_rounds.id'], name=op.f('fk_grading_round_units_round_id_grading_rounds')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_grading_round_units_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_round_units')),
    sa.UniqueConstraint('round_id', 'unit_id', name=op.f('uq_grading_round_units_round_id_unit_id'))
    )
    op.create_table('grading_unit_grades',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('grade', sa.String(length=1), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.CheckConstraint("grade IN ('A', 'B', 'C')", name=op.f('ck_grading_unit_grades_grade')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_grading_unit_grades_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['round_id'], ['grading_rounds.id'], name=op.f('fk_grading_unit_grades_round_id_grading_rounds')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_grading_unit_grades_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_unit_grades')),
    sa.UniqueConstraint('round_id', 'unit_id', 'enterprise_id', name=op.f('uq_grading_unit_grades_round_id_unit_id_enterprise_id'))
    )


def downgrade():
    op.drop_table('grading_unit_grades')
    op.drop_table('grading_round_units')
    with op.batch_alter_table('grading_results', schema=None) as batch_op:
        batch_op.drop_index('ix_grading_results_round_grade')
        batch_op.drop_index(batch_op.f('ix_grading_results_enterprise_id'))

    op.drop_table('grading_results')
    with op.batch_alter_table('grading_objections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grading_objections_enterprise_id'))

    op.drop_table('grading_objections')
    with op.batch_alter_table('grading_downgrade_proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_grading_downgrade_proposals_status')
        batch_op.drop_index(batch_op.f('ix_grading_downgrade_proposals_enterprise_id'))

    op.drop_table('grading_downgrade_proposals')
    with op.batch_alter_table('grading_complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grading_complaints_unit_id'))
        batch_op.drop_index(batch_op.f('ix_grading_complaints_enterprise_id'))

    op.drop_table('grading_complaints')
    with op.batch_alter_table('grading_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_grading_changes_round_enterprise')

    op.drop_table('grading_changes')
    op.drop_table('grading_rounds')
    with op.batch_alter_table('enforcement_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enforcement_records_unit_id'))
        batch_op.drop_index('ix_enforcement_records_date_outcome')

    op.drop_table('enforcement_records')
