"""Held text: indexes for trimming per person and page and deleting by age

Held text is now kept only for the person a signed owner token names, at
most a few rows per person and page, and deleted by age on each write
(app/questionnaire/held.py); these indexes keep those deletes cheap. Rows
held before owner tokens were required, with no owner, are never offered
back any more, so they are deleted here.

Revision ID: b7d4e2a91c05
Revises: 032b92f7c073
Create Date: 2026-11-25 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d4e2a91c05'
down_revision = '032b92f7c073'
branch_labels = None
depends_on = None


def upgrade():
    held_saves = sa.table('held_saves', sa.column('user_id', sa.Integer()))
    op.execute(held_saves.delete().where(held_saves.c.user_id.is_(None)))
    with op.batch_alter_table('held_saves', schema=None) as batch_op:
        batch_op.create_index('ix_held_saves_user_id_path', ['user_id', 'path'], unique=False)
        batch_op.create_index('ix_held_saves_created_at', ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('held_saves', schema=None) as batch_op:
        batch_op.drop_index('ix_held_saves_created_at')
        batch_op.drop_index('ix_held_saves_user_id_path')
