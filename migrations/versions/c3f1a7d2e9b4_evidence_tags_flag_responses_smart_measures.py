"""Evidence tags, answers to rigour flags, and SMART measures on actions

For framework 2026.2 (issue 14): each evidence register item may say what
kind of evidence it is, the period it covers and which benchmarks or
domains it is about; the business manager answers each rigour flag; an
action states its measure as a baseline, a target and the date it is
checked by, plus the latest reading. Every new column is nullable: items
and actions made before this stay as they were, shown as "not tagged" and
without a measure.

Revision ID: c3f1a7d2e9b4
Revises: b7d4e2a91c05
Create Date: 2026-12-03 16:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f1a7d2e9b4'
down_revision = 'b7d4e2a91c05'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evidence_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('period_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('period_end', sa.Date(), nullable=True))
    op.create_table(
        'evidence_item_subjects',
        sa.Column('evidence_item_id', sa.Integer(), nullable=False),
        sa.Column('subject_id', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['evidence_item_id'], ['evidence_items.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('evidence_item_id', 'subject_id'),
    )
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('measure_about', sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column('baseline', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('baseline_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('target', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('target_by', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('latest', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('latest_on', sa.Date(), nullable=True))
    op.create_table(
        'flag_responses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('flag_kind', sa.String(length=32), nullable=False),
        sa.Column('subject', sa.String(length=64), nullable=False),
        sa.Column('response', sa.String(length=24), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['round_id'], ['assessment_rounds.id']),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('round_id', 'flag_kind', 'subject'),
    )
    with op.batch_alter_table('flag_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flag_responses_round_id'), ['round_id'], unique=False)


def downgrade():
    with op.batch_alter_table('flag_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flag_responses_round_id'))
    op.drop_table('flag_responses')
    with op.batch_alter_table('actions', schema=None) as batch_op:
        for column in ('latest_on', 'latest', 'target_by', 'target', 'baseline_on', 'baseline', 'measure_about'):
            batch_op.drop_column(column)
    op.drop_table('evidence_item_subjects')
    with op.batch_alter_table('evidence_items', schema=None) as batch_op:
        for column in ('period_end', 'period_start', 'kind'):
            batch_op.drop_column(column)
