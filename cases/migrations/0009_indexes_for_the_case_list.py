"""Indexes for every filter and sort of the public case list, and for text search.

On every database: the published cases by country, by current status and by
title, and status changes by date (the latest changes; the year filter).

On PostgreSQL only, because SQLite cannot write them:
- the two sorts that put unknown dates last (NULLS LAST, which SQLite
  refuses in an index): recently updated, and most recently started (also
  the year filter's index on start dates);
- the full-text index of the search document (a GIN index on
  to_tsvector('simple', search_document), the expression cases.search uses).
SQLite, the embedded default for a laptop, holds too few cases to need them.

The filters by charge and by organisation use the indexes of the link
tables' foreign keys, which exist since 0001.
"""

from django.db import migrations, models

POSTGRESQL_INDEXES = {
    "case_published_recent": """
        CREATE INDEX case_published_recent ON cases_case
        (last_status_change_on DESC NULLS LAST, updated_at DESC, id DESC)
        WHERE publication_state = 'published'
    """,
    "case_published_started": """
        CREATE INDEX case_published_started ON cases_case
        (start_date DESC NULLS LAST, title, id)
        WHERE publication_state = 'published'
    """,
    "case_search_document_fts": """
        CREATE INDEX case_search_document_fts ON cases_case
        USING gin (to_tsvector('simple'::regconfig, search_document))
    """,
}


def create_postgresql_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_INDEXES.values():
            schema_editor.execute(statement)


def drop_postgresql_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in POSTGRESQL_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_case_search_document")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("publication_state", "published")),
                fields=["country"],
                name="case_published_country",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("publication_state", "published")),
                fields=["current_status"],
                name="case_published_status",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("publication_state", "published")),
                fields=["title", "id"],
                name="case_published_title",
            ),
        ),
        migrations.AddIndex(
            model_name="statuschange",
            index=models.Index(fields=["date", "id"], name="status_change_date"),
        ),
        migrations.RunPython(create_postgresql_indexes, drop_postgresql_indexes, elidable=False),
    ]
