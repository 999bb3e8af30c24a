"""users.session_version: ending sessions on the server side

Sign-out, a password change and a reset add one to it; a session cookie
carries the number it was made with and stops opening pages once the
account's number has moved on (hub/security/auth.py), on every worker and
machine.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 23:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
