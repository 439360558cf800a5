"""Search in any spelling (cases.search): documents rebuilt, pg_trgm for near spellings.

- Every case's search document is rebuilt (in batches), since documents now
  hold folded words, transliterations, spelling keys, charges' names and the
  country's names. Reversing keeps the new documents: the old search finds
  all it found before in them.
- On PostgreSQL: the pg_trgm extension, and trigram indexes (GIN,
  gin_trgm_ops) on the names of people, which near spellings and the
  suggestions of an empty result compare with the query. Charges are too
  few to need them. SQLite compares spelling keys instead.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from cases.search import refresh_documents

POSTGRESQL_INDEXES = {
    f"person_{field}_trigram": f"""
        CREATE INDEX person_{field}_trigram ON cases_person USING gin ({field} gin_trgm_ops)
    """
    for field in ("name", "name_original", "other_names")
}


def create_postgresql_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_INDEXES.values():
            schema_editor.execute(statement)


def drop_postgresql_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in POSTGRESQL_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def rebuild_documents(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    refresh_documents(Case._base_manager.using(schema_editor.connection.alias).all())


class Migration(migrations.Migration):
    dependencies = [("cases", "0020_public_data_stamps")]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.RunPython(create_postgresql_indexes, drop_postgresql_indexes),
        migrations.RunPython(rebuild_documents, migrations.RunPython.noop),
    ]
