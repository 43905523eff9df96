"""Pathways (training, partner, VAE) and the livret: evaluations during training (issue 14).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 17:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_organisation', sa.String(length=200), nullable=True))
        batch_op.drop_constraint(op.f('ck_candidates_pathway'), type_='check')
        batch_op.create_check_constraint('pathway', "pathway in ('training', 'partner', 'vae')")

    op.create_table(
        'livrets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('referential_id', sa.Integer(), nullable=False),
        sa.Column('opened_at', sa.DateTime(), nullable=False),
        sa.Column('opened_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'],
                                name=op.f('fk_livrets_candidate_id_candidates')),
        sa.ForeignKeyConstraint(['referential_id'], ['referentials.id'],
                                name=op.f('fk_livrets_referential_id_referentials')),
        sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'],
                                name=op.f('fk_livrets_opened_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_livrets')),
        sa.UniqueConstraint('candidate_id', name=op.f('uq_livrets_candidate_id')),
    )
    op.create_table(
        'livret_evaluations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('livret_id', sa.Integer(), nullable=False),
        sa.Column('competency_id', sa.Integer(), nullable=False),
        sa.Column('evaluated_on', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('acquired', sa.Boolean(), nullable=False),
        sa.Column('evaluator', sa.String(length=200), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("kind in ('quiz', 'case_study', 'practical', 'project')",
                           name=op.f('ck_livret_evaluations_kind')),
        sa.CheckConstraint("source in ('organiser', 'import')",
                           name=op.f('ck_livret_evaluations_source')),
        sa.ForeignKeyConstraint(['livret_id'], ['livrets.id'],
                                name=op.f('fk_livret_evaluations_livret_id_livrets')),
        sa.ForeignKeyConstraint(['competency_id'], ['ref_competencies.id'],
                                name=op.f('fk_livret_evaluations_competency_id_ref_competencies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_livret_evaluations')),
    )
    op.create_index(op.f('ix_livret_evaluations_livret_id'), 'livret_evaluations', ['livret_id'])
    op.create_table(
        'livret_block_projects',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('livret_id', sa.Integer(), nullable=False),
        sa.Column('block_id', sa.Integer(), nullable=False),
        sa.Column('validated_on', sa.Date(), nullable=False),
        sa.Column('validated_by', sa.String(length=200), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("source in ('organiser', 'import')",
                           name=op.f('ck_livret_block_projects_source')),
        sa.ForeignKeyConstraint(['livret_id'], ['livrets.id'],
                                name=op.f('fk_livret_block_projects_livret_id_livrets')),
        sa.ForeignKeyConstraint(['block_id'], ['ref_blocks.id'],
                                name=op.f('fk_livret_block_projects_block_id_ref_blocks')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_livret_block_projects')),
        sa.UniqueConstraint('livret_id', 'block_id',
                            name=op.f('uq_livret_block_projects_livret_id_block_id')),
    )


def downgrade():
    op.drop_table('livret_block_projects')
    op.drop_index(op.f('ix_livret_evaluations_livret_id'), table_name='livret_evaluations')
    op.drop_table('livret_evaluations')
    op.drop_table('livrets')
    # Candidates of the new pathway go back to training in the organisation.
    op.execute("UPDATE candidates SET pathway = 'training' WHERE pathway = 'partner'")
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_candidates_pathway'), type_='check')
        batch_op.create_check_constraint('pathway', "pathway in ('training', 'vae')")
        batch_op.drop_column('partner_organisation')
