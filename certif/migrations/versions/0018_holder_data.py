"""Holder data the Caisse des Dépôts requires (issue 15).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 18:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


COLUMNS = (("birth_name", 100), ("usage_name", 100), ("first_name_2", 100),
           ("first_name_3", 100), ("sex", 1), ("birth_insee_code", 5), ("birth_postal_code", 5),
           ("birth_commune", 100), ("birth_country_code", 3), ("birth_country_name", 100),
           ("access_mode", 60))


def upgrade():
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        for name, length in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))
        batch_op.add_column(sa.Column('holder_confirmed_at', sa.DateTime(), nullable=True))
    # The birth name of the candidates already recorded: their name, until corrected.
    op.execute("UPDATE candidates SET birth_name = substr(last_name, 1, 60)")


def downgrade():
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_column('holder_confirmed_at')
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
