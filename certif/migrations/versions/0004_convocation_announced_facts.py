"""convocations.announced_facts: what else a convocation announced, to detect changes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 18:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('convocations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('announced_facts', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('convocations', schema=None) as batch_op:
        batch_op.drop_column('announced_facts')
