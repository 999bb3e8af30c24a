"""change log: the resources each content version touched

Other machines follow it to keep their own search index in step with the
database without rebuilding it (docs/architecture.md, "Several machines").

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 23:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'change_log',
        sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('resource_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('version', 'resource_id'),
    )


def downgrade():
    op.drop_table('change_log')
