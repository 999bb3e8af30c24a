"""bilingual metadata and publisher on resources

`title`, `summary` and `topics` stay where they were (the document's own
language: every existing row keeps its values untouched); `translations`
holds the same fields in the other language, empty for existing rows until
an import or a review adds them. `publisher` is a key of the publishers
vocabulary, empty until set.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 23:20:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    json_type = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', json_type, nullable=True))
        batch_op.add_column(sa.Column('publisher', sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f('ix_resources_publisher'), ['publisher'], unique=False)
    resources = sa.table('resources', sa.column('translations', json_type))
    op.execute(resources.update().values(translations={}))
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.alter_column('translations', existing_type=json_type, nullable=False)


def downgrade():
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resources_publisher'))
        batch_op.drop_column('publisher')
        batch_op.drop_column('translations')
