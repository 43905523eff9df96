"""Insurance policies of the organisation, candidates' disability accommodations, and what
certif proposed for each answer of the exam-conditions sheet (issue 13, items 10, 12, 13).

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'insurance_policies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('insurer', sa.String(length=200), nullable=False),
        sa.Column('number', sa.String(length=100), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('certificate_file', sa.String(length=100), nullable=True),
        sa.Column('certificate_name', sa.String(length=255), nullable=True),
        sa.Column('certificate_sha256', sa.String(length=64), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_insurance_policies_dates')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                                name=op.f('fk_insurance_policies_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_insurance_policies')),
    )
    op.create_table(
        'accommodations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('referent', sa.String(length=200), nullable=False),
        sa.Column('requested_on', sa.Date(), nullable=False),
        sa.Column('decision', sa.String(length=10), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=True),
        sa.Column('medical_details', sa.Text(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("decision in ('pending', 'granted', 'refused')",
                           name=op.f('ck_accommodations_decision')),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'],
                                name=op.f('fk_accommodations_candidate_id_candidates')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                                name=op.f('fk_accommodations_updated_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_accommodations')),
        sa.UniqueConstraint('candidate_id', name=op.f('uq_accommodations_candidate_id')),
    )
    with op.batch_alter_table('condition_answers') as batch_op:
        batch_op.add_column(sa.Column('not_applicable', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('proposed', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('proposed_facts', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('condition_answers') as batch_op:
        batch_op.drop_column('proposed_facts')
        batch_op.drop_column('proposed')
        batch_op.drop_column('not_applicable')
    op.drop_table('accommodations')
    op.drop_table('insurance_policies')
