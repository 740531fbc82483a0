"""Held text remembers whose it is

Revision ID: 032b92f7c073
Revises: 290e4305f9e1
Create Date: 2026-11-24 03:06:43.657774

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '032b92f7c073'
down_revision = '290e4305f9e1'
branch_labels = None
depends_on = None

# Named, so the downgrade can drop it on every database.
FOREIGN_KEY = 'fk_held_saves_user_id_users'


def upgrade():
    with op.batch_alter_table('held_saves', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(FOREIGN_KEY, 'users', ['user_id'], ['id'])


def downgrade():
    with op.batch_alter_table('held_saves', schema=None) as batch_op:
        batch_op.drop_constraint(FOREIGN_KEY, type_='foreignkey')
        batch_op.drop_column('user_id')
