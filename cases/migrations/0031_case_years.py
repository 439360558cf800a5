"""The years of each case, kept by the database: the count of cases by year.

The home page and the case list's year filter count the published cases that
started or had a status change in each year. Counted from the status changes
themselves, that was a UNION over every one of them (6 M at 1,000,000 cases,
about 7 s of the database after every edit). CaseYear holds each (case,
year) once, written in the transaction of the edit by triggers on:
- a status change inserted, deleted, or moved to another date or case;
- a case inserted, or its start date changed; a case deleted takes its
  years with it (Django deletes the rows that name it; a bulk DELETE, such
  as synthetic.delete()'s, has a trigger do it).
A year goes only when no other status change of the case, nor its start
date, falls in it. Every path that writes (services, admin, imports' bulk
writes, the synthetic generator's COPY, the demo loader, a restore of
history, loaddata) meets them; nothing in Python writes the table.

On PostgreSQL a year that goes is first locked, then looked for again in a
statement of its own (which sees what was committed meanwhile), and a year
that comes locks its row (ON CONFLICT DO UPDATE ... WHERE false): of two
concurrent edits of one case's year, the second waits for the first and
sees it, so the pair is neither lost nor left behind.

The triggers are made before the existing rows are counted in (one INSERT
... SELECT): on PostgreSQL they lock the two tables against writes until
the migration commits, so no edit falls between the count and the
triggers. As migration 0029 notes, SQLite drops a table's triggers when a
migration remakes it: a later migration that alters cases_case or
cases_statuschange on SQLite must drop and make these again (STATEMENTS).
tests/test_case_years.py fails if they are missing.
"""

import django.db.models.deletion
from django.db import migrations, models

RULE = "case_year"


def sqlite_year(column: str) -> str:
    # Django keeps an SQLite date as text, YYYY-MM-DD.
    return f"CAST(substr({column}, 1, 4) AS INTEGER)"


def sqlite_remember(case: str, date: str) -> str:
    return f"""
        INSERT INTO cases_caseyear (case_id, year)
        SELECT {case}, {sqlite_year(date)}
        WHERE {date} IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM cases_caseyear WHERE case_id = {case} AND year = {sqlite_year(date)}
        );
    """


def sqlite_forget(case: str, date: str) -> str:
    year = sqlite_year(date)
    return f"""
        DELETE FROM cases_caseyear
        WHERE case_id = {case} AND year = {year}
          AND NOT EXISTS (
              SELECT 1 FROM cases_statuschange
              WHERE case_id = {case} AND {sqlite_year("date")} = {year}
          )
          AND NOT EXISTS (
              SELECT 1 FROM cases_case WHERE id = {case} AND {sqlite_year("start_date")} = {year}
          );
    """


SQLITE_CREATE = [
    f"""
    CREATE TRIGGER {RULE}_statuschange_insert AFTER INSERT ON cases_statuschange
    BEGIN {sqlite_remember("NEW.case_id", "NEW.date")} END
    """,
    f"""
    CREATE TRIGGER {RULE}_statuschange_update AFTER UPDATE OF case_id, date ON cases_statuschange
    WHEN NEW.case_id IS NOT OLD.case_id OR NEW.date IS NOT OLD.date
    BEGIN
        {sqlite_remember("NEW.case_id", "NEW.date")}
        {sqlite_forget("OLD.case_id", "OLD.date")}
    END
    """,
    f"""
    CREATE TRIGGER {RULE}_statuschange_delete AFTER DELETE ON cases_statuschange
    BEGIN {sqlite_forget("OLD.case_id", "OLD.date")} END
    """,
    f"""
    CREATE TRIGGER {RULE}_case_insert AFTER INSERT ON cases_case
    WHEN NEW.start_date IS NOT NULL
    BEGIN {sqlite_remember("NEW.id", "NEW.start_date")} END
    """,
    f"""
    CREATE TRIGGER {RULE}_case_update AFTER UPDATE OF start_date ON cases_case
    WHEN NEW.start_date IS NOT OLD.start_date
    BEGIN
        {sqlite_remember("NEW.id", "NEW.start_date")}
        {sqlite_forget("OLD.id", "OLD.start_date")}
    END
    """,
    f"""
    CREATE TRIGGER {RULE}_case_delete BEFORE DELETE ON cases_case
    BEGIN DELETE FROM cases_caseyear WHERE case_id = OLD.id; END
    """,
]
SQLITE_TRIGGERS = [
    f"{RULE}_{table}_{event}"
    for table, events in (
        ("statuschange", ("insert", "update", "delete")),
        ("case", ("insert", "update", "delete")),
    )
    for event in events
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]

POSTGRESQL_CREATE = [
    f"""
    CREATE FUNCTION {RULE}_remember(c bigint, d date) RETURNS void LANGUAGE sql AS $$
        INSERT INTO cases_caseyear (case_id, year)
        SELECT c, EXTRACT(YEAR FROM d)::integer WHERE d IS NOT NULL
        -- Locks the pair when it is there already (see the module's docstring).
        ON CONFLICT (case_id, year) DO UPDATE SET year = EXCLUDED.year WHERE false
    $$
    """,
    f"""
    CREATE FUNCTION {RULE}_forget(c bigint, d date) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
        y integer := EXTRACT(YEAR FROM d)::integer;
    BEGIN
        IF d IS NULL THEN
            RETURN;
        END IF;
        PERFORM 1 FROM cases_caseyear WHERE case_id = c AND year = y FOR UPDATE;
        DELETE FROM cases_caseyear
        WHERE case_id = c AND year = y
          AND NOT EXISTS (
              SELECT 1 FROM cases_statuschange
              WHERE case_id = c AND date >= make_date(y, 1, 1) AND date < make_date(y + 1, 1, 1)
          )
          AND NOT EXISTS (
              SELECT 1 FROM cases_case
              WHERE id = c AND start_date >= make_date(y, 1, 1)
                AND start_date < make_date(y + 1, 1, 1)
          );
    END $$
    """,
    f"""
    CREATE FUNCTION {RULE}_of_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'DELETE' THEN
            PERFORM {RULE}_remember(NEW.case_id, NEW.date);
        END IF;
        IF TG_OP <> 'INSERT' THEN
            PERFORM {RULE}_forget(OLD.case_id, OLD.date);
        END IF;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION {RULE}_of_case() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM {RULE}_remember(NEW.id, NEW.start_date);
        IF TG_OP = 'UPDATE' THEN
            PERFORM {RULE}_forget(OLD.id, OLD.start_date);
        END IF;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION {RULE}_of_deleted_case() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM cases_caseyear WHERE case_id = OLD.id;
        RETURN OLD;
    END $$
    """,
    f"""
    CREATE TRIGGER {RULE}_statuschange_insert_delete
    AFTER INSERT OR DELETE ON cases_statuschange
    FOR EACH ROW EXECUTE FUNCTION {RULE}_of_status_change()
    """,
    f"""
    CREATE TRIGGER {RULE}_statuschange_update
    AFTER UPDATE OF case_id, date ON cases_statuschange
    FOR EACH ROW
    WHEN (NEW.case_id IS DISTINCT FROM OLD.case_id OR NEW.date IS DISTINCT FROM OLD.date)
    EXECUTE FUNCTION {RULE}_of_status_change()
    """,
    f"""
    CREATE TRIGGER {RULE}_case_insert AFTER INSERT ON cases_case
    FOR EACH ROW WHEN (NEW.start_date IS NOT NULL)
    EXECUTE FUNCTION {RULE}_of_case()
    """,
    f"""
    CREATE TRIGGER {RULE}_case_update AFTER UPDATE OF start_date ON cases_case
    FOR EACH ROW WHEN (NEW.start_date IS DISTINCT FROM OLD.start_date)
    EXECUTE FUNCTION {RULE}_of_case()
    """,
    f"""
    CREATE TRIGGER {RULE}_case_delete BEFORE DELETE ON cases_case
    FOR EACH ROW EXECUTE FUNCTION {RULE}_of_deleted_case()
    """,
]
POSTGRESQL_TRIGGERS = [
    (f"{RULE}_statuschange_insert_delete", "cases_statuschange"),
    (f"{RULE}_statuschange_update", "cases_statuschange"),
    (f"{RULE}_case_insert", "cases_case"),
    (f"{RULE}_case_update", "cases_case"),
    (f"{RULE}_case_delete", "cases_case"),
]
POSTGRESQL_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in POSTGRESQL_TRIGGERS),
    f"DROP FUNCTION IF EXISTS {RULE}_of_deleted_case()",
    f"DROP FUNCTION IF EXISTS {RULE}_of_case()",
    f"DROP FUNCTION IF EXISTS {RULE}_of_status_change()",
    f"DROP FUNCTION IF EXISTS {RULE}_forget(bigint, date)",
    f"DROP FUNCTION IF EXISTS {RULE}_remember(bigint, date)",
]

STATEMENTS = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
}

# Each (case, year) once, from the existing rows, in one statement.
FILL = {
    "sqlite": f"""
        INSERT INTO cases_caseyear (case_id, year)
        SELECT id, {sqlite_year("start_date")} FROM cases_case WHERE start_date IS NOT NULL
        UNION
        SELECT case_id, {sqlite_year("date")} FROM cases_statuschange
    """,
    "postgresql": """
        INSERT INTO cases_caseyear (case_id, year)
        SELECT id, EXTRACT(YEAR FROM start_date)::integer
        FROM cases_case WHERE start_date IS NOT NULL
        UNION
        SELECT case_id, EXTRACT(YEAR FROM date)::integer FROM cases_statuschange
        ON CONFLICT DO NOTHING
    """,
}


def run(statements_for):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in STATEMENTS:
            raise NotImplementedError(f"No triggers for the {vendor} database; add them here.")
        for statement in statements_for(STATEMENTS[vendor]):
            schema_editor.execute(statement)

    return apply


def fill(apps, schema_editor):
    schema_editor.execute(FILL[schema_editor.connection.vendor])


class Migration(migrations.Migration):
    dependencies = [("cases", "0030_verdict_terms_at_most_a_hundred_years")]

    operations = [
        migrations.CreateModel(
            name="CaseYear",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "case",
                        "year",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("year", models.IntegerField(verbose_name="year")),
                (
                    "case",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="years",
                        to="cases.case",
                        verbose_name="case",
                    ),
                ),
            ],
            options={
                "verbose_name": "year of a case",
                "verbose_name_plural": "years of cases",
            },
        ),
        migrations.RunPython(run(lambda s: s[0]), run(lambda s: s[1])),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
