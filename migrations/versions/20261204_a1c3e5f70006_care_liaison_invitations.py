"""care: leader liaison, appeals, 站台 invitations (issue 13)

Revision ID: a1c3e5f70006
Revises: a1c3e5f70005
Create Date: 2026-12-04

Leader profiles, the leaders' offices' contacts, the yearly served list and its entries, the
分工名单 (city and county), contact records, the counties' plans, appeals (their levels are ledger
matters) and 站台 invitations with their history.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f70006'
down_revision = 'a1c3e5f70005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('care_county_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('hotline', sa.String(length=50), nullable=False),
    sa.Column('hotline_person', sa.String(length=50), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('first_submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'accepted', 'returned')", name=op.f('ck_care_county_plans_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_care_county_plans_created_by_id_users')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_care_county_plans_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_care_county_plans_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_county_plans')),
    sa.UniqueConstraint('unit_id', 'year', name=op.f('uq_care_county_plans_unit_id_year'))
    )
    with op.batch_alter_table('care_county_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_county_plans_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_county_plans_year'), ['year'], unique=False)

    op.create_table('care_leaders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('post', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('district', sa.String(length=50), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=200), nullable=False),
    sa.Column('duties', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("level IN ('city', 'county')", name=op.f('ck_care_leaders_level')),
    sa.ForeignKeyConstraint(['office_id'], ['units.id'], name=op.f('fk_care_leaders_office_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_care_leaders_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_leaders')),
    sa.UniqueConstraint('user_id', name=op.f('uq_care_leaders_user_id'))
    )
    with op.batch_alter_table('care_leaders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_leaders_district'), ['district'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_leaders_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_leaders_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_leaders_office_id'), ['office_id'], unique=False)

    op.create_table('care_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('tax_year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('new_format_shortfall', sa.Integer(), nullable=False),
    sa.Column('composed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'confirmed', 'published')", name=op.f('ck_care_lists_status')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_care_lists_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_care_lists_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_lists')),
    sa.UniqueConstraint('year', name=op.f('uq_care_lists_year'))
    )
    op.create_table('care_office_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_care_office_contacts_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_care_office_contacts_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_office_contacts')),
    sa.UniqueConstraint('unit_id', name=op.f('uq_care_office_contacts_unit_id'))
    )
    op.create_table('care_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('district', sa.String(length=50), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("level IN ('city', 'county')", name=op.f('ck_care_assignments_level')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_care_assignments_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_care_assignments_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['leader_id'], ['care_leaders.id'], name=op.f('fk_care_assignments_leader_id_care_leaders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_assignments')),
    sa.UniqueConstraint('year', 'level', 'enterprise_id', name=op.f('uq_care_assignments_year_level_enterprise_id'))
    )
    with op.batch_alter_table('care_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_assignments_district'), ['district'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_assignments_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_care_assignments_year_leader', ['year', 'leader_id'], unique=False)

    op.create_table('care_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('route', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('activity_on', sa.Date(), nullable=False),
    sa.Column('activity_time', sa.String(length=20), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('contact_name', sa.String(length=50), nullable=False),
    sa.Column('contact_phone', sa.String(length=30), nullable=False),
    sa.Column('wished_leader_id', sa.Integer(), nullable=True),
    sa.Column('pledge', sa.Boolean(), nullable=False),
    sa.Column('pledge_text', sa.Text(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('screening_note', sa.Text(), nullable=False),
    sa.Column('screened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('screened_by_id', sa.Integer(), nullable=True),
    sa.Column('attending_leader_id', sa.Integer(), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=False),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attended_note', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('talent', 'investment', 'project', 'guests', 'financing', 'cooperation', 'brand', 'promotion', 'other')", name=op.f('ck_care_invitations_kind')),
    sa.CheckConstraint("route IN ('direct', 'screening')", name=op.f('ck_care_invitations_route')),
    sa.CheckConstraint("state IN ('screening', 'screened_out', 'awaiting', 'accepted', 'declined', 'attended', 'cancelled')", name=op.f('ck_care_invitations_state')),
    sa.CheckConstraint('pledge', name=op.f('ck_care_invitations_pledge')),
    sa.ForeignKeyConstraint(['attending_leader_id'], ['care_leaders.id'], name=op.f('fk_care_invitations_attending_leader_id_care_leaders')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_care_invitations_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['leader_id'], ['care_leaders.id'], name=op.f('fk_care_invitations_leader_id_care_leaders')),
    sa.ForeignKeyConstraint(['office_id'], ['units.id'], name=op.f('fk_care_invitations_office_id_units')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_care_invitations_requested_by_id_users')),
    sa.ForeignKeyConstraint(['screened_by_id'], ['users.id'], name=op.f('fk_care_invitations_screened_by_id_users')),
    sa.ForeignKeyConstraint(['wished_leader_id'], ['care_leaders.id'], name=op.f('fk_care_invitations_wished_leader_id_care_leaders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_invitations')),
    sa.UniqueConstraint('year', 'seq', name=op.f('uq_care_invitations_year_seq'))
    )
    with op.batch_alter_table('care_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_invitations_activity_on'), ['activity_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_invitations_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_invitations_leader_id'), ['leader_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_invitations_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_invitations_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_invitations_year'), ['year'], unique=False)

    op.create_table('care_liaison_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('contact_on', sa.Date(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('meet', 'research', 'visit', 'call', 'symposium')", name=op.f('ck_care_liaison_contacts_kind')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_care_liaison_contacts_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['leader_id'], ['care_leaders.id'], name=op.f('fk_care_liaison_contacts_leader_id_care_leaders')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_care_liaison_contacts_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_liaison_contacts'))
    )
    with op.batch_alter_table('care_liaison_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_liaison_contacts_contact_on'), ['contact_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_liaison_contacts_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_care_liaison_contacts_leader_day', ['leader_id', 'contact_on'], unique=False)

    op.create_table('care_list_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('group_name', sa.String(length=200), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('via_enterprise_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("source IN ('tax', 'new_format', 'member')", name=op.f('ck_care_list_entries_source')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_care_list_entries_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['list_id'], ['care_lists.id'], name=op.f('fk_care_list_entries_list_id_care_lists')),
    sa.ForeignKeyConstraint(['via_enterprise_id'], ['enterprises.id'], name=op.f('fk_care_list_entries_via_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_list_entries')),
    sa.UniqueConstraint('list_id', 'enterprise_id', name=op.f('uq_care_list_entries_list_id_enterprise_id'))
    )
    with op.batch_alter_table('care_list_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_list_entries_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_care_list_entries_list_source_rank', ['list_id', 'source', 'rank'], unique=False)

    op.create_table('care_appeals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('category', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('first_matter_id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('satisfaction', sa.String(length=12), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("category IN ('land', 'finance', 'approval', 'labour', 'energy', 'policy', 'market', 'law', 'other')", name=op.f('ck_care_appeals_category')),
    sa.CheckConstraint("channel IN ('enterprise', 'leader', 'office')", name=op.f('ck_care_appeals_channel')),
    sa.CheckConstraint("level IN ('leader', 'office', 'city')", name=op.f('ck_care_appeals_level')),
    sa.ForeignKeyConstraint(['contact_id'], ['care_liaison_contacts.id'], name=op.f('fk_care_appeals_contact_id_care_liaison_contacts')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_care_appeals_created_by_id_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_care_appeals_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['first_matter_id'], ['matters.id'], name=op.f('fk_care_appeals_first_matter_id_matters')),
    sa.ForeignKeyConstraint(['leader_id'], ['care_leaders.id'], name=op.f('fk_care_appeals_leader_id_care_leaders')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_care_appeals_matter_id_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_appeals'))
    )
    with op.batch_alter_table('care_appeals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_appeals_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_appeals_leader_id'), ['leader_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_appeals_matter_id'), ['matter_id'], unique=False)

    op.create_table('care_invitation_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('from_state', sa.String(length=12), nullable=False),
    sa.Column('to_state', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['care_invitations.id'], name=op.f('fk_care_invitation_events_invitation_id_care_invitations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_care_invitation_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_invitation_events'))
    )
    with op.batch_alter_table('care_invitation_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_invitation_events_invitation_id'), ['invitation_id'], unique=False)



def downgrade():
    with op.batch_alter_table('care_invitation_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_invitation_events_invitation_id'))

    op.drop_table('care_invitation_events')
    with op.batch_alter_table('care_appeals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_appeals_matter_id'))
        batch_op.drop_index(batch_op.f('ix_care_appeals_leader_id'))
        batch_op.drop_index(batch_op.f('ix_care_appeals_enterprise_id'))

    op.drop_table('care_appeals')
    with op.batch_alter_table('care_list_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_care_list_entries_list_source_rank')
        batch_op.drop_index(batch_op.f('ix_care_list_entries_enterprise_id'))

    op.drop_table('care_list_entries')
    with op.batch_alter_table('care_liaison_contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_care_liaison_contacts_leader_day')
        batch_op.drop_index(batch_op.f('ix_care_liaison_contacts_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_care_liaison_contacts_contact_on'))

    op.drop_table('care_liaison_contacts')
    with op.batch_alter_table('care_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_invitations_year'))
        batch_op.drop_index(batch_op.f('ix_care_invitations_state'))
        batch_op.drop_index(batch_op.f('ix_care_invitations_office_id'))
        batch_op.drop_index(batch_op.f('ix_care_invitations_leader_id'))
        batch_op.drop_index(batch_op.f('ix_care_invitations_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_care_invitations_activity_on'))

    op.drop_table('care_invitations')
    with op.batch_alter_table('care_assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_care_assignments_year_leader')
        batch_op.drop_index(batch_op.f('ix_care_assignments_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_care_assignments_district'))

    op.drop_table('care_assignments')
    op.drop_table('care_office_contacts')
    op.drop_table('care_lists')
    with op.batch_alter_table('care_leaders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_leaders_office_id'))
        batch_op.drop_index(batch_op.f('ix_care_leaders_name'))
        batch_op.drop_index(batch_op.f('ix_care_leaders_level'))
        batch_op.drop_index(batch_op.f('ix_care_leaders_district'))

    op.drop_table('care_leaders')
    with op.batch_alter_table('care_county_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_county_plans_year'))
        batch_op.drop_index(batch_op.f('ix_care_county_plans_status'))

    op.drop_table('care_county_plans')
