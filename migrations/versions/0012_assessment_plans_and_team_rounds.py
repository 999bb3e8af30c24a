"""assessment plans, team rounds and shared round scores

Saved results keep the member's answers and action plan (so two takes can be
compared statement by statement); team rounds, their anonymous responses and
the section scores a closed round shared with the working group.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 23:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('saved_assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answers', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('plan', sa.JSON(), nullable=True))
    op.create_table('assessment_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('assessment_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_rounds_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_rounds_resource_id'), ['resource_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_rounds_token'), ['token'], unique=True)
    op.create_table('assessment_round_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('edit_key', sa.String(length=64), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['assessment_rounds.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('assessment_round_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_round_responses_round_id'), ['round_id'], unique=False)
    op.create_table('assessment_shared_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['assessment_rounds.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('round_id')
    )
    with op.batch_alter_table('assessment_shared_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_shared_scores_resource_id'), ['resource_id'], unique=False)


def downgrade():
    with op.batch_alter_table('assessment_shared_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_shared_scores_resource_id'))
    op.drop_table('assessment_shared_scores')
    with op.batch_alter_table('assessment_round_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_round_responses_round_id'))
    op.drop_table('assessment_round_responses')
    with op.batch_alter_table('assessment_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_rounds_token'))
        batch_op.drop_index(batch_op.f('ix_assessment_rounds_resource_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_rounds_owner_id'))
    op.drop_table('assessment_rounds')
    with op.batch_alter_table('saved_assessments', schema=None) as batch_op:
        batch_op.drop_column('plan')
        batch_op.drop_column('answers')
