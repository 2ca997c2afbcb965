"""bankruptcy government-court coordination (issue 14)

Revision ID: a1c3e5f70008
Revises: a1c3e5f70007
Create Date: 2026-12-04

The mechanism's settings, conveners, member units, duty matrix, courts and administrators;
meetings with their units, agenda items and decisions; the module's matter details and letters;
cases with assessments, disposal plans, leadership groups and progress; progress circulars; the
member units' periodic lists; typical cases.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f70008'
down_revision = 'a1c3e5f70007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bankruptcy_administrators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('contact', sa.String(length=50), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.CheckConstraint("kind IN ('law_firm', 'accounting_firm', 'liquidation_group', 'bankruptcy_firm', 'other')", name=op.f('ck_bankruptcy_administrators_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_administrators')),
    sa.UniqueConstraint('name', name=op.f('uq_bankruptcy_administrators_name'))
    )
    op.create_table('bankruptcy_duties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_type', sa.String(length=20), nullable=False),
    sa.Column('duty', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_duties')),
    sa.UniqueConstraint('matter_type', name=op.f('uq_bankruptcy_duties_matter_type'))
    )
    op.create_table('bankruptcy_conveners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('post', sa.String(length=100), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("title IN ('general', 'deputy', 'convener', 'office_director')", name=op.f('ck_bankruptcy_conveners_title')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_bankruptcy_conveners_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_conveners'))
    )
    op.create_table('bankruptcy_courts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('district', sa.String(length=50), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_bankruptcy_courts_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_courts')),
    sa.UniqueConstraint('name', name=op.f('uq_bankruptcy_courts_name'))
    )
    op.create_table('bankruptcy_duty_units',
    sa.Column('duty_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('lead', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['duty_id'], ['bankruptcy_duties.id'], name=op.f('fk_bankruptcy_duty_units_duty_id_bankruptcy_duties'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_bankruptcy_duty_units_unit_id_units')),
    sa.PrimaryKeyConstraint('duty_id', 'unit_id', name=op.f('pk_bankruptcy_duty_units'))
    )
    with op.batch_alter_table('bankruptcy_duty_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankruptcy_duty_units_unit_id'), ['unit_id'], unique=False)

    op.create_table('bankruptcy_list_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('revoked', 'tax_arrears', 'capacity', 'stopped', 'distressed', 'guarantee')", name=op.f('ck_bankruptcy_list_entries_kind')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_bankruptcy_list_entries_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_bankruptcy_list_entries_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_list_entries')),
    sa.UniqueConstraint('kind', 'period', 'unit_id', 'enterprise_id', name=op.f('uq_bankruptcy_list_entries_kind_period_unit_id_enterprise_id'))
    )
    with op.batch_alter_table('bankruptcy_list_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankruptcy_list_entries_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_bankruptcy_list_entries_kind_unit_start', ['kind', 'unit_id', 'period_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_list_entries_unit_id'), ['unit_id'], unique=False)

    op.create_table('bankruptcy_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('leader_name', sa.String(length=50), nullable=False),
    sa.Column('leader_post', sa.String(length=100), nullable=False),
    sa.Column('liaison_name', sa.String(length=50), nullable=False),
    sa.Column('liaison_post', sa.String(length=100), nullable=False),
    sa.Column('liaison_phone', sa.String(length=30), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_bankruptcy_members_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_members')),
    sa.UniqueConstraint('unit_id', name=op.f('uq_bankruptcy_members_unit_id'))
    )
    op.create_table('bankruptcy_circulars',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('period_label', sa.String(length=30), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issuer', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_bankruptcy_circulars_issued_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_circulars')),
    sa.UniqueConstraint('period', name=op.f('uq_bankruptcy_circulars_period')),
    sa.UniqueConstraint('year', 'seq', name=op.f('uq_bankruptcy_circulars_year_seq'))
    )
    op.create_table('bankruptcy_mechanism',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('established_on', sa.Date(), nullable=False),
    sa.Column('office_unit_id', sa.Integer(), nullable=True),
    sa.Column('joint_months', sa.Integer(), nullable=False),
    sa.Column('topic_months', sa.Integer(), nullable=False),
    sa.Column('reply_days', sa.Integer(), nullable=False),
    sa.Column('risk_rules', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('joint_months IN (6, 12)', name=op.f('ck_bankruptcy_mechanism_joint_months')),
    sa.CheckConstraint('reply_days BETWEEN 1 AND 90', name=op.f('ck_bankruptcy_mechanism_reply_days')),
    sa.CheckConstraint('topic_months IN (0, 3, 6)', name=op.f('ck_bankruptcy_mechanism_topic_months')),
    sa.ForeignKeyConstraint(['office_unit_id'], ['units.id'], name=op.f('fk_bankruptcy_mechanism_office_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_bankruptcy_mechanism_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_mechanism'))
    )
    op.create_table('bankruptcy_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tier', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('chair', sa.String(length=100), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('attendees', sa.Text(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('minutes_year', sa.Integer(), nullable=True),
    sa.Column('minutes_seq', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by_unit_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('planned', 'held', 'issued')", name=op.f('ck_bankruptcy_meetings_status')),
    sa.CheckConstraint("tier IN ('business', 'topic', 'joint')", name=op.f('ck_bankruptcy_meetings_tier')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_bankruptcy_meetings_created_by_id_users')),
    sa.ForeignKeyConstraint(['proposed_by_unit_id'], ['units.id'], name=op.f('fk_bankruptcy_meetings_proposed_by_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_meetings')),
    sa.UniqueConstraint('minutes_year', 'minutes_seq', name=op.f('uq_bankruptcy_meetings_minutes_year_minutes_seq'))
    )
    with op.batch_alter_table('bankruptcy_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankruptcy_meetings_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_meetings_planned_on'), ['planned_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_meetings_tier'), ['tier'], unique=False)

    op.create_table('bankruptcy_agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('upper_matter_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("outcome = '' OR outcome IN ('resolved', 'escalated', 'carried')", name=op.f('ck_bankruptcy_agenda_items_outcome')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_bankruptcy_agenda_items_matter_id_matters')),
    sa.ForeignKeyConstraint(['meeting_id'], ['bankruptcy_meetings.id'], name=op.f('fk_bankruptcy_agenda_items_meeting_id_bankruptcy_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['upper_matter_id'], ['matters.id'], name=op.f('fk_bankruptcy_agenda_items_upper_matter_id_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_agenda_items')),
    sa.UniqueConstraint('meeting_id', 'matter_id', name=op.f('uq_bankruptcy_agenda_items_meeting_id_matter_id'))
    )
    with op.batch_alter_table('bankruptcy_agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankruptcy_agenda_items_matter_id'), ['matter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_agenda_items_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('bankruptcy_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_number', sa.String(length=60), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('court_id', sa.Integer(), nullable=False),
    sa.Column('administrator_id', sa.Integer(), nullable=True),
    sa.Column('procedure', sa.String(length=20), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('major', sa.Boolean(), nullable=False),
    sa.Column('applicant', sa.String(length=200), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('creditors', sa.Integer(), nullable=False),
    sa.Column('employees', sa.Integer(), nullable=False),
    sa.Column('wage_arrears', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('debts', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('assets', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('guarantees', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('opinion', sa.Integer(), nullable=False),
    sa.Column('risk_score', sa.Integer(), nullable=True),
    sa.Column('risk_level', sa.String(length=10), nullable=True),
    sa.Column('handover_matter_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("procedure IN ('liquidation', 'reorganization', 'conciliation', 'pre_reorganization', 'out_of_court')", name=op.f('ck_bankruptcy_cases_procedure')),
    sa.CheckConstraint("risk_level IS NULL OR risk_level IN ('low', 'medium', 'high')", name=op.f('ck_bankruptcy_cases_risk_level')),
    sa.CheckConstraint("stage IN ('warning', 'accepted', 'claims', 'creditors_meeting', 'disposal', 'plan', 'concluded', 'rejected')", name=op.f('ck_bankruptcy_cases_stage')),
    sa.CheckConstraint('opinion BETWEEN 0 AND 3', name=op.f('ck_bankruptcy_cases_opinion')),
    sa.ForeignKeyConstraint(['administrator_id'], ['bankruptcy_administrators.id'], name=op.f('fk_bankruptcy_cases_administrator_id_bankruptcy_administrators')),
    sa.ForeignKeyConstraint(['court_id'], ['bankruptcy_courts.id'], name=op.f('fk_bankruptcy_cases_court_id_bankruptcy_courts')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_bankruptcy_cases_created_by_id_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_bankruptcy_cases_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['handover_matter_id'], ['matters.id'], name=op.f('fk_bankruptcy_cases_handover_matter_id_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_cases')),
    sa.UniqueConstraint('case_number', name=op.f('uq_bankruptcy_cases_case_number')),
    sa.UniqueConstraint('handover_matter_id', name=op.f('uq_bankruptcy_cases_handover_matter_id'))
    )
    with op.batch_alter_table('bankruptcy_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankruptcy_cases_administrator_id'), ['administrator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_cases_court_id'), ['court_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_cases_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_cases_major'), ['major'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_cases_risk_level'), ['risk_level'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_cases_stage'), ['stage'], unique=False)

    op.create_table('bankruptcy_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_bankruptcy_decisions_matter_id_matters')),
    sa.ForeignKeyConstraint(['meeting_id'], ['bankruptcy_meetings.id'], name=op.f('fk_bankruptcy_decisions_meeting_id_bankruptcy_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_decisions')),
    sa.UniqueConstraint('meeting_id', 'seq', name=op.f('uq_bankruptcy_decisions_meeting_id_seq'))
    )
    with op.batch_alter_table('bankruptcy_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankruptcy_decisions_matter_id'), ['matter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_decisions_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('bankruptcy_meeting_units',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['bankruptcy_meetings.id'], name=op.f('fk_bankruptcy_meeting_units_meeting_id_bankruptcy_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_bankruptcy_meeting_units_unit_id_units')),
    sa.PrimaryKeyConstraint('meeting_id', 'unit_id', name=op.f('pk_bankruptcy_meeting_units'))
    )
    op.create_table('bankruptcy_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('inputs', sa.Text(), nullable=False),
    sa.Column('breakdown', sa.Text(), nullable=False),
    sa.Column('rules', sa.Text(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_bankruptcy_assessments_by_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['bankruptcy_cases.id'], name=op.f('fk_bankruptcy_assessments_case_id_bankruptcy_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_assessments'))
    )
    with op.batch_alter_table('bankruptcy_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankruptcy_assessments_case_id'), ['case_id'], unique=False)

    op.create_table('bankruptcy_case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_bankruptcy_case_events_by_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['bankruptcy_cases.id'], name=op.f('fk_bankruptcy_case_events_case_id_bankruptcy_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_case_events'))
    )
    with op.batch_alter_table('bankruptcy_case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankruptcy_case_events_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_case_events_on'), ['on'], unique=False)

    op.create_table('bankruptcy_group_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('post', sa.String(length=100), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("role IN ('leader', 'deputy', 'member')", name=op.f('ck_bankruptcy_group_members_role')),
    sa.ForeignKeyConstraint(['case_id'], ['bankruptcy_cases.id'], name=op.f('fk_bankruptcy_group_members_case_id_bankruptcy_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_bankruptcy_group_members_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_group_members'))
    )
    with op.batch_alter_table('bankruptcy_group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankruptcy_group_members_case_id'), ['case_id'], unique=False)

    op.create_table('bankruptcy_letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('coord_matter_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('to_unit_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('reply_due', sa.Date(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issuer', sa.String(length=100), nullable=False),
    sa.Column('replied_on', sa.Date(), nullable=True),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('replied_by_id', sa.Integer(), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['bankruptcy_cases.id'], name=op.f('fk_bankruptcy_letters_case_id_bankruptcy_cases')),
    sa.ForeignKeyConstraint(['coord_matter_id'], ['matters.id'], name=op.f('fk_bankruptcy_letters_coord_matter_id_matters')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_bankruptcy_letters_issued_by_id_users')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_bankruptcy_letters_matter_id_matters')),
    sa.ForeignKeyConstraint(['replied_by_id'], ['users.id'], name=op.f('fk_bankruptcy_letters_replied_by_id_users')),
    sa.ForeignKeyConstraint(['to_unit_id'], ['units.id'], name=op.f('fk_bankruptcy_letters_to_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_letters')),
    sa.UniqueConstraint('matter_id', name=op.f('uq_bankruptcy_letters_matter_id')),
    sa.UniqueConstraint('year', 'seq', name=op.f('uq_bankruptcy_letters_year_seq'))
    )
    with op.batch_alter_table('bankruptcy_letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankruptcy_letters_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_letters_coord_matter_id'), ['coord_matter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_letters_issued_on'), ['issued_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_letters_replied_on'), ['replied_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_letters_reply_due'), ['reply_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_letters_to_unit_id'), ['to_unit_id'], unique=False)

    op.create_table('bankruptcy_matters',
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('matter_type', sa.String(length=20), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by_unit_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("matter_type IN ('livelihood', 'stability', 'takeover', 'tax', 'disposal', 'title', 'finance', 'credit', 'evasion', 'criminal', 'deregistration', 'costs', 'enforcement', 'litigation', 'investment', 'safety', 'environment', 'zombie', 'other')", name=op.f('ck_bankruptcy_matters_matter_type')),
    sa.ForeignKeyConstraint(['case_id'], ['bankruptcy_cases.id'], name=op.f('fk_bankruptcy_matters_case_id_bankruptcy_cases')),
    sa.ForeignKeyConstraint(['decision_id'], ['bankruptcy_decisions.id'], name=op.f('fk_bankruptcy_matters_decision_id_bankruptcy_decisions')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_bankruptcy_matters_matter_id_matters')),
    sa.ForeignKeyConstraint(['proposed_by_unit_id'], ['units.id'], name=op.f('fk_bankruptcy_matters_proposed_by_unit_id_units')),
    sa.PrimaryKeyConstraint('matter_id', name=op.f('pk_bankruptcy_matters'))
    )
    with op.batch_alter_table('bankruptcy_matters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankruptcy_matters_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_matters_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_matters_matter_type'), ['matter_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankruptcy_matters_proposed_by_unit_id'), ['proposed_by_unit_id'], unique=False)

    op.create_table('bankruptcy_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('stability', sa.Text(), nullable=False),
    sa.Column('employees', sa.Text(), nullable=False),
    sa.Column('opinion', sa.Text(), nullable=False),
    sa.Column('assets', sa.Text(), nullable=False),
    sa.Column('units', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['bankruptcy_cases.id'], name=op.f('fk_bankruptcy_plans_case_id_bankruptcy_cases')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_bankruptcy_plans_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_plans'))
    )
    with op.batch_alter_table('bankruptcy_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankruptcy_plans_case_id'), ['case_id'], unique=False)

    op.create_table('bankruptcy_typical_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('procedure', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('practice', sa.Text(), nullable=False),
    sa.Column('significance', sa.Text(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("procedure IN ('liquidation', 'reorganization', 'conciliation', 'pre_reorganization', 'out_of_court')", name=op.f('ck_bankruptcy_typical_cases_procedure')),
    sa.CheckConstraint("status IN ('draft', 'published')", name=op.f('ck_bankruptcy_typical_cases_status')),
    sa.ForeignKeyConstraint(['case_id'], ['bankruptcy_cases.id'], name=op.f('fk_bankruptcy_typical_cases_case_id_bankruptcy_cases')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_bankruptcy_typical_cases_created_by_id_users')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_bankruptcy_typical_cases_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bankruptcy_typical_cases'))
    )
    with op.batch_alter_table('bankruptcy_typical_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankruptcy_typical_cases_status'), ['status'], unique=False)



def downgrade():
    with op.batch_alter_table('bankruptcy_typical_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankruptcy_typical_cases_status'))

    op.drop_table('bankruptcy_typical_cases')
    with op.batch_alter_table('bankruptcy_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankruptcy_plans_case_id'))

    op.drop_table('bankruptcy_plans')
    with op.batch_alter_table('bankruptcy_matters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankruptcy_matters_proposed_by_unit_id'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_matters_matter_type'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_matters_decision_id'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_matters_case_id'))

    op.drop_table('bankruptcy_matters')
    with op.batch_alter_table('bankruptcy_letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankruptcy_letters_to_unit_id'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_letters_reply_due'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_letters_replied_on'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_letters_issued_on'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_letters_coord_matter_id'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_letters_case_id'))

    op.drop_table('bankruptcy_letters')
    with op.batch_alter_table('bankruptcy_group_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankruptcy_group_members_case_id'))

    op.drop_table('bankruptcy_group_members')
    with op.batch_alter_table('bankruptcy_case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankruptcy_case_events_on'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_case_events_case_id'))

    op.drop_table('bankruptcy_case_events')
    with op.batch_alter_table('bankruptcy_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankruptcy_assessments_case_id'))

    op.drop_table('bankruptcy_assessments')
    op.drop_table('bankruptcy_meeting_units')
    with op.batch_alter_table('bankruptcy_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankruptcy_decisions_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_decisions_matter_id'))

    op.drop_table('bankruptcy_decisions')
    with op.batch_alter_table('bankruptcy_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankruptcy_cases_stage'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_cases_risk_level'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_cases_major'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_cases_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_cases_court_id'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_cases_administrator_id'))

    op.drop_table('bankruptcy_cases')
    with op.batch_alter_table('bankruptcy_agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankruptcy_agenda_items_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_agenda_items_matter_id'))

    op.drop_table('bankruptcy_agenda_items')
    with op.batch_alter_table('bankruptcy_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankruptcy_meetings_tier'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_meetings_planned_on'))
        batch_op.drop_index(batch_op.f('ix_bankruptcy_meetings_held_on'))

    op.drop_table('bankruptcy_meetings')
    op.drop_table('bankruptcy_mechanism')
    op.drop_table('bankruptcy_circulars')
    op.drop_table('bankruptcy_members')
    with op.batch_alter_table('bankruptcy_list_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankruptcy_list_entries_unit_id'))
        batch_op.drop_index('ix_bankruptcy_list_entries_kind_unit_start')
        batch_op.drop_index(batch_op.f('ix_bankruptcy_list_entries_enterprise_id'))

    op.drop_table('bankruptcy_list_entries')
    with op.batch_alter_table('bankruptcy_duty_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankruptcy_duty_units_unit_id'))

    op.drop_table('bankruptcy_duty_units')
    op.drop_table('bankruptcy_courts')
    op.drop_table('bankruptcy_conveners')
    op.drop_table('bankruptcy_duties')
    op.drop_table('bankruptcy_administrators')
