"""The board's own words in its report (a statement per domain and overall) and its sign-off

Revision ID: a7c3e9d1f5b2
Revises: e4b8c2d6f1a3
Create Date: 2026-12-04 22:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e9d1f5b2'
down_revision = 'e4b8c2d6f1a3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'report_statements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=64), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['round_id'], ['assessment_rounds.id']),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('round_id', 'subject'),
    )
    with op.batch_alter_table('report_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_statements_round_id'), ['round_id'], unique=False)
    op.create_table(
        'report_sign_offs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('approved_on', sa.Date(), nullable=False),
        sa.Column('chair_name', sa.String(length=200), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['round_id'], ['assessment_rounds.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('round_id'),
    )


def downgrade():
    op.drop_table('report_sign_offs')
    with op.batch_alter_table('report_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_statements_round_id'))
    op.drop_table('report_statements')
