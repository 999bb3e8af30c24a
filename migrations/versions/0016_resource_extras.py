"""resources.extras: declared fields without a column of their own

A field added to hub/content/fields.py with storage="extra" is kept here, so
adding such a field needs no migration. Existing rows get an empty mapping.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 23:15:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    json_type = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extras', json_type, nullable=True))
    resources = sa.table('resources', sa.column('extras', json_type))
    op.execute(resources.update().values(extras={}))
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.alter_column('extras', existing_type=json_type, nullable=False)


def downgrade():
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.drop_column('extras')
