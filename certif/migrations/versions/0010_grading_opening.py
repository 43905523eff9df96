"""When grading opens (issue 13, item 7): the reason the candidate could not sign the
attendance sheet, and each juror's confirmation of grading before the slot's start.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 14:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'candidate_unsigned',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('exam_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['exam_id'], ['exams.id'],
                                name=op.f('fk_candidate_unsigned_exam_id_exams')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                                name=op.f('fk_candidate_unsigned_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_unsigned')),
        sa.UniqueConstraint('exam_id', name=op.f('uq_candidate_unsigned_exam_id')),
    )
    op.create_table(
        'early_starts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('exam_id', sa.Integer(), nullable=False),
        sa.Column('juror_id', sa.Integer(), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(), nullable=False),
        sa.Column('slot_starts_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], name=op.f('fk_early_starts_exam_id_exams')),
        sa.ForeignKeyConstraint(['juror_id'], ['users.id'], name=op.f('fk_early_starts_juror_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_early_starts')),
        sa.UniqueConstraint('exam_id', 'juror_id', name=op.f('uq_early_starts_exam_id_juror_id')),
    )


def downgrade():
    op.drop_table('early_starts')
    op.drop_table('candidate_unsigned')
