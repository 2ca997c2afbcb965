"""integrity: clues, records with history, file access, certificates, coverage

Revision ID: fa7cbdc037ed
Revises: 3671f3c4de41
Create Date: 2026-11-23

"""
from alembic import op
import sqlalchemy as sa

# Integrity records, their versions, clues and certificates are never deleted, and versions
# never rewritten: the database refuses it (like the audit log). Kept inline so this migration
# never changes with the code.
PROTECTED_TABLES = ("integrity_records", "integrity_record_versions", "integrity_clues", "integrity_certificates")
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} BEGIN SELECT RAISE(ABORT, '{t} keeps every row'); END"
    for t in PROTECTED_TABLES
] + [
    "CREATE TRIGGER integrity_record_versions_no_update BEFORE UPDATE ON integrity_record_versions "
    "BEGIN SELECT RAISE(ABORT, 'integrity_record_versions is append-only'); END",
]
POSTGRES_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION integrity_refuse_change() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'integrity records are never deleted or rewritten'; END; $$ LANGUAGE plpgsql",
] + [
    f"CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} FOR EACH ROW EXECUTE FUNCTION integrity_refuse_change()"
    for t in PROTECTED_TABLES
] + [
    "CREATE TRIGGER integrity_record_versions_no_update BEFORE UPDATE ON integrity_record_versions "
    "FOR EACH ROW EXECUTE FUNCTION integrity_refuse_change()",
]


# revision identifiers, used by Alembic.
revision = 'fa7cbdc037ed'
down_revision = '3671f3c4de41'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('integrity_coverage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('anchor_unit_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['anchor_unit_id'], ['units.id'], name=op.f('fk_integrity_coverage_anchor_unit_id_units')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_integrity_coverage_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_coverage')),
    sa.UniqueConstraint('anchor_unit_id', 'unit_id', name=op.f('uq_integrity_coverage_anchor_unit_id_unit_id'))
    )
    with op.batch_alter_table('integrity_coverage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integrity_coverage_anchor_unit_id'), ['anchor_unit_id'], unique=False)

    op.create_table('integrity_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('valid', 'superseded')", name=op.f('ck_integrity_certificates_status')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_integrity_certificates_issued_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_integrity_certificates_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_certificates')),
    sa.UniqueConstraint('number', name=op.f('uq_integrity_certificates_number')),
    sa.UniqueConstraint('year', 'seq', name=op.f('uq_integrity_certificates_year_seq'))
    )
    with op.batch_alter_table('integrity_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integrity_certificates_person_id'), ['person_id'], unique=False)

    op.create_table('integrity_file_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_integrity_file_access_person_id_persons')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_integrity_file_access_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_file_access'))
    )
    with op.batch_alter_table('integrity_file_access', schema=None) as batch_op:
        batch_op.create_index('ix_integrity_file_access_user_person', ['user_id', 'person_id', 'expires_at'], unique=False)

    op.create_table('integrity_clues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_related', sa.Boolean(), nullable=False),
    sa.Column('complainant_name', sa.String(length=50), nullable=False),
    sa.Column('complainant_contact', sa.String(length=100), nullable=False),
    sa.Column('enterprise_name', sa.String(length=200), nullable=False),
    sa.Column('accused', sa.String(length=200), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('verification', sa.String(length=20), nullable=True),
    sa.Column('tracking_hash', sa.String(length=64), nullable=True),
    sa.Column('submitter_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("verification IS NULL OR verification IN ('substantiated', 'partly', 'unsubstantiated')", name=op.f('ck_integrity_clues_verification')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_integrity_clues_matter_id_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_clues')),
    sa.UniqueConstraint('matter_id', name=op.f('uq_integrity_clues_matter_id')),
    sa.UniqueConstraint('tracking_hash', name=op.f('uq_integrity_clues_tracking_hash'))
    )
    with op.batch_alter_table('integrity_clues', schema=None) as batch_op:
        batch_op.create_index('ix_integrity_clues_submitter_at', ['submitter_key', 'created_at'], unique=False)

    op.create_table('integrity_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('post', sa.String(length=100), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=False),
    sa.Column('decision_number', sa.String(length=100), nullable=False),
    sa.Column('decision_body', sa.String(length=100), nullable=False),
    sa.Column('clue_matter_id', sa.Integer(), nullable=True),
    sa.Column('filed_by', sa.String(length=20), nullable=False),
    sa.Column('rectification_deadline', sa.Date(), nullable=True),
    sa.Column('rectification_matter_id', sa.Integer(), nullable=True),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('revocation_reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("decision <> 'admonishment' OR rectification_deadline IS NOT NULL", name=op.f('ck_integrity_records_admonishment_deadline')),
    sa.CheckConstraint("decision IN ('warning', 'demerit', 'major_demerit', 'demotion', 'dismissal', 'expulsion', 'organisational', 'admonishment')", name=op.f('ck_integrity_records_decision')),
    sa.CheckConstraint("filed_by IN ('unit_committee', 'dispatched_group', 'city_commission')", name=op.f('ck_integrity_records_filed_by')),
    sa.ForeignKeyConstraint(['clue_matter_id'], ['matters.id'], name=op.f('fk_integrity_records_clue_matter_id_matters')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_integrity_records_created_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_integrity_records_person_id_persons')),
    sa.ForeignKeyConstraint(['rectification_matter_id'], ['matters.id'], name=op.f('fk_integrity_records_rectification_matter_id_matters')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_integrity_records_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_records'))
    )
    with op.batch_alter_table('integrity_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integrity_records_decision_date'), ['decision_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_integrity_records_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_integrity_records_unit_id'), ['unit_id'], unique=False)

    op.create_table('integrity_record_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.CheckConstraint("action IN ('filed', 'corrected', 'revoked')", name=op.f('ck_integrity_record_versions_action')),
    sa.ForeignKeyConstraint(['record_id'], ['integrity_records.id'], name=op.f('fk_integrity_record_versions_record_id_integrity_records')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_integrity_record_versions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_record_versions')),
    sa.UniqueConstraint('record_id', 'version', name=op.f('uq_integrity_record_versions_record_id_version'))
    )
    with op.batch_alter_table('integrity_record_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integrity_record_versions_record_id'), ['record_id'], unique=False)

    for statement in (POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS):
        op.execute(statement)


def downgrade():
    # Dropping a table drops its triggers.
    with op.batch_alter_table('integrity_record_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_integrity_record_versions_record_id'))

    op.drop_table('integrity_record_versions')
    with op.batch_alter_table('integrity_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_integrity_records_unit_id'))
        batch_op.drop_index(batch_op.f('ix_integrity_records_person_id'))
        batch_op.drop_index(batch_op.f('ix_integrity_records_decision_date'))

    op.drop_table('integrity_records')
    with op.batch_alter_table('integrity_clues', schema=None) as batch_op:
        batch_op.drop_index('ix_integrity_clues_submitter_at')

    op.drop_table('integrity_clues')
    with op.batch_alter_table('integrity_file_access', schema=None) as batch_op:
        batch_op.drop_index('ix_integrity_file_access_user_person')

    op.drop_table('integrity_file_access')
    with op.batch_alter_table('integrity_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_integrity_certificates_person_id'))

    op.drop_table('integrity_certificates')
    with op.batch_alter_table('integrity_coverage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_integrity_coverage_anchor_unit_id'))

    op.drop_table('integrity_coverage')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION integrity_refuse_change()")
