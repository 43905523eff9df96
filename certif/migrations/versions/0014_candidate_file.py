"""The candidate's file: dossier pieces, deadlines, extensions, plan checklist, confidentiality (issue 14).

The confidentiality attestations are signatures (document "confidentiality"): no table.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 17:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'candidate_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('certification', sa.String(length=40), nullable=False),
        sa.Column('extended_until', sa.Date(), nullable=True),
        sa.Column('extension_reason', sa.Text(), nullable=True),
        sa.Column('extended_by_id', sa.Integer(), nullable=True),
        sa.Column('extended_at', sa.DateTime(), nullable=True),
        sa.Column('plan_checked', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'],
                                name=op.f('fk_candidate_files_candidate_id_candidates')),
        sa.ForeignKeyConstraint(['extended_by_id'], ['users.id'],
                                name=op.f('fk_candidate_files_extended_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_files')),
        sa.UniqueConstraint('candidate_id', 'certification',
                            name=op.f('uq_candidate_files_candidate_id_certification')),
    )
    op.create_table(
        'candidate_file_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('file_id', sa.Integer(), nullable=False),
        sa.Column('piece', sa.String(length=40), nullable=False),
        sa.Column('value', sa.Text(), nullable=True),
        sa.Column('minutes', sa.Integer(), nullable=True),
        sa.Column('stored_name', sa.String(length=64), nullable=True),
        sa.Column('filename', sa.String(length=255), nullable=True),
        sa.Column('size', sa.Integer(), nullable=True),
        sa.Column('sha256', sa.String(length=64), nullable=True),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        sa.Column('replaced_at', sa.DateTime(), nullable=True),
        sa.Column('receipt_mail_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['file_id'], ['candidate_files.id'],
                                name=op.f('fk_candidate_file_entries_file_id_candidate_files')),
        sa.ForeignKeyConstraint(['receipt_mail_id'], ['outgoing_mails.id'],
                                name=op.f('fk_candidate_file_entries_receipt_mail_id_outgoing_mails')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_file_entries')),
    )
    with op.batch_alter_table('candidate_file_entries', schema=None) as batch_op:
        batch_op.create_index('ix_candidate_file_entries_file', ['file_id', 'piece'], unique=False)


def downgrade():
    with op.batch_alter_table('candidate_file_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_candidate_file_entries_file')
    op.drop_table('candidate_file_entries')
    op.drop_table('candidate_files')
