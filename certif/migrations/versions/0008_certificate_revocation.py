"""Certificates can be revoked by the organiser: when, by whom, why (issue 13, item 5).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 13:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('revoked_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('revocation_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_certificates_revoked_by_id_users'), 'users',
                                    ['revoked_by_id'], ['id'])
        batch_op.create_check_constraint(
            'revoked', '(revoked_at is null) = (revocation_reason is null)')


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_certificates_revoked'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_certificates_revoked_by_id_users'), type_='foreignkey')
        batch_op.drop_column('revocation_reason')
        batch_op.drop_column('revoked_by_id')
        batch_op.drop_column('revoked_at')
