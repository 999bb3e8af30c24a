"""throttle counts shared by all workers

Revision ID: 0009
Revises: 0002
Create Date: 2026-11-26 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('throttle_counts',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('throttle_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_throttle_counts_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('throttle_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_throttle_counts_expires_at'))

    op.drop_table('throttle_counts')
