"""Boards as configured: a kind, a nation, the local authorities covered and the board's own partner agencies

For issue 15: a board is no longer one local authority with the app's fixed
list of partners. It has a kind (regional safeguarding board, joint adult and
children's board, local safeguarding children board, safeguarding partnership)
and a nation (ids from partners.yaml), the local authorities it covers, and its
own partner agencies, each marked statutory or not. Boards made before this
become local safeguarding children boards in Wales with the partners every
board had until now (the same six statutory), so nothing changes for them.

Revision ID: d1e5a7c9b3f2
Revises: c3f1a7d2e9b4
Create Date: 2026-12-03 19:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1e5a7c9b3f2'
down_revision = 'c3f1a7d2e9b4'
branch_labels = None
depends_on = None

# The list every board had until now (app/core/vocabulary.py at c3f1a7d2e9b4),
# written out so this migration means the same whatever the code says later.
_PARTNERS_UNTIL_NOW = (
    ('local_authority', True),
    ('health_board', True),
    ('nhs_trust', True),
    ('police', True),
    ('probation', True),
    ('youth_offending', True),
    ('education', False),
    ('third_sector', False),
    ('lay_member', False),
    ('other', False),
)


def upgrade():
    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=48), nullable=False, server_default='local_safeguarding_children_board'))
        batch_op.add_column(sa.Column('nation', sa.String(length=16), nullable=False, server_default='wales'))
    op.create_table(
        'board_partners',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('board_id', sa.Integer(), nullable=False),
        sa.Column('agency', sa.String(length=32), nullable=False),
        sa.Column('statutory', sa.Boolean(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['board_id'], ['boards.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('board_id', 'agency'),
    )
    with op.batch_alter_table('board_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_partners_board_id'), ['board_id'], unique=False)
    op.create_table(
        'board_local_authorities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('board_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['board_id'], ['boards.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('board_local_authorities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_local_authorities_board_id'), ['board_id'], unique=False)

    boards = sa.table('boards', sa.column('id', sa.Integer()))
    partners = sa.table(
        'board_partners',
        sa.column('board_id', sa.Integer()),
        sa.column('agency', sa.String()),
        sa.column('statutory', sa.Boolean()),
        sa.column('position', sa.Integer()),
    )
    connection = op.get_bind()
    board_ids = [row[0] for row in connection.execute(sa.select(boards.c.id))]
    rows = [
        {'board_id': board_id, 'agency': agency, 'statutory': statutory, 'position': position}
        for board_id in board_ids
        for position, (agency, statutory) in enumerate(_PARTNERS_UNTIL_NOW)
    ]
    if rows:
        op.bulk_insert(partners, rows)


def downgrade():
    with op.batch_alter_table('board_local_authorities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_local_authorities_board_id'))
    op.drop_table('board_local_authorities')
    with op.batch_alter_table('board_partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_partners_board_id'))
    op.drop_table('board_partners')
    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.drop_column('nation')
        batch_op.drop_column('kind')
