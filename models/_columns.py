"""Column helpers shared by the model modules."""
import sqlalchemy as sa


def unique_ignoring_case(column):
    """A unique index on lower(column): 'se123-a' and 'SE123-A' are the same HSA-id.

    The stored value keeps its case, because TAK exports contain legacy lower-case ids
    that must be mirrored as they are.
    """
    return sa.Index(f"uq_{column.table.name}_{column.name}_lower", sa.func.lower(column), unique=True)


def equals_ignoring_case(column, value):
    """column = value, ignoring case, as the unique_ignoring_case index sees it. The database lowers
    both sides: SQLite's lower() folds only A–Z, so comparing with Python's lower() would miss an
    identifier with Ä or Ö (the real NTJP export has them) on SQLite and find it on PostgreSQL."""
    return sa.func.lower(column) == sa.func.lower(value)


def in_ignoring_case(column, values):
    """column IN values, ignoring case the same way as equals_ignoring_case (the database lowers both)."""
    return sa.func.lower(column).in_([sa.func.lower(value) for value in sorted(values)])
