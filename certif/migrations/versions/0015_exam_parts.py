"""The exam's parts and the competencies a project covered (issue 14, item 6): when each
part of an exam started (the president moves the jury on), and the jury's mark per
competency (covered by the project, evaluated in interview).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 17:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'exam_part_starts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('exam_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('started_by_id', sa.Integer(), nullable=False),
        sa.CheckConstraint('position >= 0', name=op.f('ck_exam_part_starts_position')),
        sa.ForeignKeyConstraint(['exam_id'], ['exams.id'],
                                name=op.f('fk_exam_part_starts_exam_id_exams'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['started_by_id'], ['users.id'],
                                name=op.f('fk_exam_part_starts_started_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_part_starts')),
        sa.UniqueConstraint('exam_id', 'position', name=op.f('uq_exam_part_starts_exam_id_position')),
    )
    op.create_table(
        'competency_coverages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('exam_id', sa.Integer(), nullable=False),
        sa.Column('competency_code', sa.String(length=20), nullable=False),
        sa.Column('covered_by_project', sa.Boolean(), nullable=True),
        sa.Column('evaluated_in_interview', sa.Boolean(), nullable=True),
        sa.Column('updated_by_id', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['exam_id'], ['exams.id'],
                                name=op.f('fk_competency_coverages_exam_id_exams'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                                name=op.f('fk_competency_coverages_updated_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_competency_coverages')),
        sa.UniqueConstraint('exam_id', 'competency_code',
                            name=op.f('uq_competency_coverages_exam_id_competency_code')),
    )


def downgrade():
    op.drop_table('competency_coverages')
    op.drop_table('exam_part_starts')
