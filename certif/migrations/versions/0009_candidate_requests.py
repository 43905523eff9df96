"""Appeals filed by the candidate from their personal link, and the answer's email
(issue 13, item 6).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=20), nullable=False,
                                      server_default='organiser'))
        batch_op.add_column(sa.Column('answer_mail_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_appeals_answer_mail_id_outgoing_mails'),
                                    'outgoing_mails', ['answer_mail_id'], ['id'])
        batch_op.create_check_constraint('channel', "channel in ('organiser', 'candidate')")


def downgrade():
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_appeals_channel'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_appeals_answer_mail_id_outgoing_mails'),
                                 type_='foreignkey')
        batch_op.drop_column('answer_mail_id')
        batch_op.drop_column('channel')
