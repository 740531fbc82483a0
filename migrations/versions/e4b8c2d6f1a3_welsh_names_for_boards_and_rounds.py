"""Welsh names for boards and rounds (optional)

For issue 16: a board's name and a round's title may be given in Welsh too;
Welsh pages and the Welsh report use them, and fall back to the English.

Revision ID: e4b8c2d6f1a3
Revises: d1e5a7c9b3f2
Create Date: 2026-12-04 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4b8c2d6f1a3'
down_revision = 'd1e5a7c9b3f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_cy', sa.String(length=200), nullable=True))
    with op.batch_alter_table('assessment_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_cy', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('assessment_rounds', schema=None) as batch_op:
        batch_op.drop_column('title_cy')
    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.drop_column('name_cy')
