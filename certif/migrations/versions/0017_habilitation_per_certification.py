"""Habilitation per certification (issue 14, item 8): a juror's habilitation is decided per
certification (referential code); the single decision held on the juror profile becomes the
juror's RS6240 habilitation (the only certification habilitations were decided for).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 17:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

# Before this revision annex 7 and every decision were about RS6240 (seed 000).
CARRIED_OVER_CODE = 'RS6240'


def upgrade():
    op.create_table(
        'juror_habilitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('juror_id', sa.Integer(), nullable=False),
        sa.Column('referential_code', sa.String(length=40), nullable=False),
        sa.Column('result', sa.String(length=20), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("result in ('favourable', 'unfavourable')",
                           name=op.f('ck_juror_habilitations_result')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'],
                                name=op.f('fk_juror_habilitations_decided_by_id_users')),
        sa.ForeignKeyConstraint(['juror_id'], ['users.id'],
                                name=op.f('fk_juror_habilitations_juror_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_juror_habilitations')),
        sa.UniqueConstraint('juror_id', 'referential_code',
                            name=op.f('uq_juror_habilitations_juror_id_referential_code')),
    )
    # The decision recorded so far becomes the RS6240 habilitation (a decision without a
    # date, from before dates were kept, takes the profile's last change).
    op.execute(sa.text(
        "INSERT INTO juror_habilitations (juror_id, referential_code, result, comment, "
        "decided_at, decided_by_id) "
        "SELECT user_id, :code, habilitation_result, habilitation_comment, "
        "COALESCE(habilitation_decided_at, updated_at), habilitation_decided_by_id "
        "FROM juror_profiles WHERE habilitation_result IS NOT NULL"
    ).bindparams(code=CARRIED_OVER_CODE))
    with op.batch_alter_table('juror_profiles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_juror_profiles_habilitation_result'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_juror_profiles_habilitation_decided_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('habilitation_decided_by_id')
        batch_op.drop_column('habilitation_decided_at')
        batch_op.drop_column('habilitation_comment')
        batch_op.drop_column('habilitation_result')


def downgrade():
    with op.batch_alter_table('juror_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('habilitation_result', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('habilitation_comment', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('habilitation_decided_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('habilitation_decided_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_juror_profiles_habilitation_decided_by_id_users'),
                                    'users', ['habilitation_decided_by_id'], ['id'])
        batch_op.create_check_constraint(
            batch_op.f('ck_juror_profiles_habilitation_result'),
            "habilitation_result in ('favourable', 'unfavourable')")
    # Back to one decision per juror: the RS6240 one.
    op.execute(sa.text(
        "UPDATE juror_profiles SET "
        "habilitation_result = (SELECT h.result FROM juror_habilitations h WHERE "
        "h.juror_id = juror_profiles.user_id AND h.referential_code = :code), "
        "habilitation_comment = (SELECT h.comment FROM juror_habilitations h WHERE "
        "h.juror_id = juror_profiles.user_id AND h.referential_code = :code), "
        "habilitation_decided_at = (SELECT h.decided_at FROM juror_habilitations h WHERE "
        "h.juror_id = juror_profiles.user_id AND h.referential_code = :code), "
        "habilitation_decided_by_id = (SELECT h.decided_by_id FROM juror_habilitations h WHERE "
        "h.juror_id = juror_profiles.user_id AND h.referential_code = :code)"
    ).bindparams(code=CARRIED_OVER_CODE))
    op.drop_table('juror_habilitations')
