"""pathways, their steps and the resources of each step

Pathways are written by the working group as files beside the resources
(pathways/), imported like them; see docs/content.md.

Revision ID: 0017_pathways
Revises: 0016
Create Date: 2026-12-08 02:30:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0017_pathways'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    json_type = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    op.create_table(
        'pathways',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=120), nullable=False),
        sa.Column('titles', json_type, nullable=False),
        sa.Column('introductions', json_type, nullable=False),
        sa.Column('position', sa.Integer(), nullable=True),
        sa.Column('checksum', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('pathways', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pathways_slug'), ['slug'], unique=True)
    op.create_table(
        'pathway_steps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pathway_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('titles', json_type, nullable=False),
        sa.Column('texts', json_type, nullable=False),
        sa.ForeignKeyConstraint(['pathway_id'], ['pathways.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('pathway_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pathway_steps_pathway_id'), ['pathway_id'], unique=False)
    op.create_table(
        'pathway_step_resources',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('step_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('resource_slug', sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(['step_id'], ['pathway_steps.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('pathway_step_resources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pathway_step_resources_resource_slug'), ['resource_slug'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_pathway_step_resources_step_id'), ['step_id'], unique=False)


def downgrade():
    op.drop_table('pathway_step_resources')
    op.drop_table('pathway_steps')
    op.drop_table('pathways')
