"""The search document's words kept as a tsvector column on PostgreSQL.

Until now the full-text index was on the expression to_tsvector('simple',
search_document) (migration 0009). The index itself answers "which cases
have this word", but wherever PostgreSQL reads cases in the list's order and
keeps those that match (the first page of a search for a common name, the
check that anything matches), it parsed each case's document again: about
0.25 ms a case on a loaded machine, which the documents with every spelling
of every name (0021) made the larger part of a search's cost (bench/search_cost.py:
"Ainur Nurlanova" went from 36 to 409 ms p95 at 20,000 cases).

Now search_vector is a generated column holding that tsvector, written by
PostgreSQL itself whenever search_document is (every path that writes the
document writes the vector with it, none can forget to), with the GIN index
on it. cases.search.DocumentVector reads it. It is not a field of the model:
SQLite, which searches with LIKE, has no tsvector, and the column must stay
out of forms, serializers and the history alike. Reversible.
"""

from django.db import migrations

FORWARD = [
    """
    ALTER TABLE cases_case ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_document)) STORED
    """,
    "CREATE INDEX case_search_vector_fts ON cases_case USING gin (search_vector)",
    "DROP INDEX IF EXISTS case_search_document_fts",
]
BACKWARD = [
    """
    CREATE INDEX IF NOT EXISTS case_search_document_fts ON cases_case
    USING gin (to_tsvector('simple'::regconfig, search_document))
    """,
    "ALTER TABLE cases_case DROP COLUMN IF EXISTS search_vector",
]


def add_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("cases", "0025_editors_and_publishers_keep_the_new_facts")]

    operations = [migrations.RunPython(add_search_vector, drop_search_vector)]
