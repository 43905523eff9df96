"""Jurors' professionalisation sessions (seed 000 I.A, annex 7): the session, the jurors
invited and their attendance (issue 13, item 11).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 14:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'juror_trainings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('referential_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('mode', sa.String(length=10), nullable=False),
        sa.Column('place', sa.String(length=300), nullable=True),
        sa.Column('video_link', sa.String(length=500), nullable=True),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("mode in ('on_site', 'remote')",
                           name=op.f('ck_juror_trainings_mode')),
        sa.CheckConstraint("(mode = 'on_site' and place is not null) or "
                           "(mode = 'remote' and video_link is not null)",
                           name=op.f('ck_juror_trainings_where')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_juror_trainings_created_by_id_users')),
        sa.ForeignKeyConstraint(['referential_id'], ['referentials.id'],
                                name=op.f('fk_juror_trainings_referential_id_referentials')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_juror_trainings')),
    )
    op.create_table(
        'juror_training_invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('juror_id', sa.Integer(), nullable=False),
        sa.Column('invited_at', sa.DateTime(), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('mail_id', sa.Integer(), nullable=True),
        sa.Column('attended', sa.Boolean(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                                name=op.f('fk_juror_training_invitations_recorded_by_id_users')),
        sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'],
                                name=op.f('fk_juror_training_invitations_invited_by_id_users')),
        sa.ForeignKeyConstraint(['juror_id'], ['users.id'],
                                name=op.f('fk_juror_training_invitations_juror_id_users')),
        sa.ForeignKeyConstraint(['mail_id'], ['outgoing_mails.id'],
                                name=op.f('fk_juror_training_invitations_mail_id_outgoing_mails')),
        sa.ForeignKeyConstraint(['session_id'], ['juror_trainings.id'],
                                name=op.f('fk_juror_training_invitations_session_id_juror_trainings'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_juror_training_invitations')),
        sa.UniqueConstraint('session_id', 'juror_id',
                            name=op.f('uq_juror_training_invitations_session_id_juror_id')),
    )
    with op.batch_alter_table('juror_training_invitations', schema=None) as batch_op:
        batch_op.create_index('ix_juror_training_invitations_juror_id', ['juror_id'], unique=False)


def downgrade():
    with op.batch_alter_table('juror_training_invitations', schema=None) as batch_op:
        batch_op.drop_index('ix_juror_training_invitations_juror_id')
    op.drop_table('juror_training_invitations')
    op.drop_table('juror_trainings')
