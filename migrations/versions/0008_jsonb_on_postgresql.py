"""JSONB instead of JSON for list and assessment columns on PostgreSQL

Plain `json` has no equality operator, so DISTINCT or UNION over resources
failed there. SQLite keeps its JSON (text) columns: nothing to do on it.

Revision ID: 0008
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0008'
down_revision = '0001'
branch_labels = None
depends_on = None

COLUMNS = {"resources": ("racism_types", "audiences", "topics", "authors", "assessment")}


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=postgresql.JSONB(), existing_type=sa.JSON(),
                            postgresql_using=f"{column}::jsonb")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=sa.JSON(), existing_type=postgresql.JSONB(),
                            postgresql_using=f"{column}::json")
