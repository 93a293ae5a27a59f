"""
Rows in bulk: COPY on PostgreSQL, batched INSERTs on the embedded SQLite.

The seeder names the columns it fills; every other column gets its model
field's default, so a field added later needs no change here (unless it has
no default and allows no NULL).
"""

from django.db import connection

# Plain indexes and foreign keys of the loaded tables: built once over the
# finished tables instead of row by row (PostgreSQL only).
INDEXES = """
SELECT 'DROP INDEX ' || quote_ident(i.relname), pg_get_indexdef(i.oid)
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
WHERE x.indrelid = %s::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
"""
FOREIGN_KEYS = """
SELECT 'ALTER TABLE ' || %s || ' DROP CONSTRAINT ' || quote_ident(conname),
       'ALTER TABLE ' || %s || ' ADD CONSTRAINT ' || quote_ident(conname) || ' '
         || pg_get_constraintdef(oid)
FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'
"""


class Table:
    """One model's table, written ``columns`` first, then the defaults of the rest."""

    def __init__(self, model, columns, *, freeze=False):
        fields = {f.column: f for f in model._meta.concrete_fields}
        rest = [
            f
            for f in model._meta.concrete_fields
            if f.column not in columns and not f.primary_key and not f.has_db_default()
        ]
        self.name = connection.ops.quote_name(model._meta.db_table)
        self.fields = [fields[column] for column in columns] + rest
        self.defaults = tuple(f.get_default() for f in rest)
        self.freeze = freeze

    def write(self, rows):
        quoted = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # FREEZE: rows land already visible to all, so no VACUUM has
                # to visit them; allowed in the transaction that emptied the table.
                options = " (FREEZE)" if self.freeze else ""
                with cursor.copy(f"COPY {self.name} ({quoted}) FROM STDIN{options}") as copy:
                    for row in rows:
                        copy.write_row(row + self.defaults)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                prepared = [self._prepared(row + self.defaults) for row in rows]
                cursor.executemany(f"INSERT INTO {self.name} ({quoted}) VALUES ({marks})", prepared)

    def _prepared(self, row):
        return [f.get_db_prep_save(value, connection) for f, value in zip(self.fields, row)]


def drop_secondary(models):
    """
    Drop the tables' plain indexes and foreign keys (PostgreSQL, inside a
    transaction), returning what ``recreate()`` needs to build them again.
    """
    if connection.vendor != "postgresql":
        return []
    statements = []
    with connection.cursor() as cursor:
        # A constraint cannot be dropped while checks of it are still deferred.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(INDEXES, [table])
            statements += cursor.fetchall()
            cursor.execute(FOREIGN_KEYS, [table, table, table])
            statements += cursor.fetchall()
        for drop, _create in statements:
            cursor.execute(drop)
    return [create for _drop, create in statements]


def recreate(statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def tune_for_loading():
    """PostgreSQL settings for the rest of the transaction, which loads in bulk."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # lz4 compresses the bodies at a third of pglz's cost (the load is
        # CPU-bound on a small machine), for tables about an eighth larger.
        cursor.execute("SET LOCAL default_toast_compression = 'lz4'")
        # More memory than the default 64 MB sorts each index in one pass.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")


def empty(models):
    """Delete every row of ``models`` (and of the tables that refer to them)."""
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    else:
        for model in models:
            model._base_manager.all().delete()


def reset_sequences(models):
    """After rows written with their own ids, new rows get the next free id."""
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
