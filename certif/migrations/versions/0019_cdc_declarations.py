"""Declarations to the Caisse des Dépôts (issue 15).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 18:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cdc_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('flux_id', sa.String(length=50), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('line_count', sa.Integer(), nullable=False),
        sa.Column('xml', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_cdc_files_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cdc_files')),
        sa.UniqueConstraint('number', name=op.f('uq_cdc_files_number')),
        sa.UniqueConstraint('flux_id', name=op.f('uq_cdc_files_flux_id')),
    )
    op.create_table(
        'cdc_declarations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('certificate_id', sa.Integer(), nullable=False),
        sa.Column('technical_id', sa.String(length=255), nullable=False),
        sa.Column('file_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('sent_fingerprint', sa.String(length=64), nullable=False),
        sa.Column('rejection_reason', sa.Text(), nullable=True),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.Column('answered_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("status in ('declared', 'accepted', 'rejected')",
                           name=op.f('ck_cdc_declarations_status')),
        sa.CheckConstraint("(status = 'rejected') = (rejection_reason is not null)",
                           name=op.f('ck_cdc_declarations_rejection_reason')),
        sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'],
                                name=op.f('fk_cdc_declarations_certificate_id_certificates')),
        sa.ForeignKeyConstraint(['file_id'], ['cdc_files.id'],
                                name=op.f('fk_cdc_declarations_file_id_cdc_files')),
        sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'],
                                name=op.f('fk_cdc_declarations_answered_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cdc_declarations')),
        sa.UniqueConstraint('certificate_id', name=op.f('uq_cdc_declarations_certificate_id')),
        sa.UniqueConstraint('technical_id', name=op.f('uq_cdc_declarations_technical_id')),
    )


def downgrade():
    op.drop_table('cdc_declarations')
    op.drop_table('cdc_files')
