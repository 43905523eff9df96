"""Blocks kept across attempts and block attestations (issue 14).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 17:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'block_validations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('exam_id', sa.Integer(), nullable=False),
        sa.Column('referential_code', sa.String(length=40), nullable=False),
        sa.Column('block_code', sa.String(length=20), nullable=False),
        sa.Column('block_title', sa.String(length=300), nullable=False),
        sa.Column('session_number', sa.String(length=40), nullable=False),
        sa.Column('attempt_starts_at', sa.DateTime(), nullable=False),
        sa.Column('validated_on', sa.Date(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('revocation_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'],
                                name=op.f('fk_block_validations_candidate_id_candidates')),
        sa.ForeignKeyConstraint(['exam_id'], ['exams.id'],
                                name=op.f('fk_block_validations_exam_id_exams')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                                name=op.f('fk_block_validations_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_block_validations')),
        sa.UniqueConstraint('exam_id', 'block_code',
                            name=op.f('uq_block_validations_exam_id_block_code')),
    )
    op.create_index('ix_block_validations_candidate', 'block_validations',
                    ['candidate_id', 'referential_code'])
    op.create_table(
        'block_attestations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('validation_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=60), nullable=False),
        sa.Column('verification_code', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['validation_id'], ['block_validations.id'],
                                name=op.f('fk_block_attestations_validation_id_block_validations')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_block_attestations_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_block_attestations')),
        sa.UniqueConstraint('validation_id', name=op.f('uq_block_attestations_validation_id')),
        sa.UniqueConstraint('number', name=op.f('uq_block_attestations_number')),
    )


def downgrade():
    op.drop_table('block_attestations')
    op.drop_index('ix_block_validations_candidate', table_name='block_validations')
    op.drop_table('block_validations')
