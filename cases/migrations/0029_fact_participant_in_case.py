"""Triggers that keep a detention and a verdict to a person of their own case;
a verdict's entry in the timeline; releases recorded before this migration
end the detentions they left open.

A detention and a verdict name their case (for the inlines of the case's
form) and a person's place in a case (CaseParticipant); the two must agree.
Their clean() says so in words and their save() refuses otherwise, but a
bulk write, a raw query or a restore goes around both: as for the people a
status change concerns (migration 0002), the database refuses, with an
integrity error naming the rule:
- a detention or a verdict whose person is in another case than its own;
- moving a person's place in a case to another case while a detention or a
  verdict names it.
"""

import datetime
import importlib

import django.db.models.deletion
from django.db import migrations, models

RULE = "fact_participant_in_case"
MESSAGE = f"{RULE}: a detention or a verdict can only concern a person in its own case"
TABLES = ("detention", "verdict")

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER {RULE}_{table}_{event.lower()}
    BEFORE {event} ON cases_{table}
    WHEN (SELECT case_id FROM cases_caseparticipant WHERE id = NEW.participant_id)
         IS NOT NEW.case_id
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """
    for table in TABLES
    for event in ("INSERT", "UPDATE")
] + [
    f"""
    CREATE TRIGGER {RULE}_caseparticipant_case_fixed
    BEFORE UPDATE OF case_id ON cases_caseparticipant
    WHEN NEW.case_id IS NOT OLD.case_id
     AND (EXISTS (SELECT 1 FROM cases_detention WHERE participant_id = NEW.id)
          OR EXISTS (SELECT 1 FROM cases_verdict WHERE participant_id = NEW.id))
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {RULE}_{table}_{event}"
    for table in TABLES
    for event in ("insert", "update")
] + [f"DROP TRIGGER IF EXISTS {RULE}_caseparticipant_case_fixed"]

POSTGRESQL_CREATE = [
    f"""
    CREATE FUNCTION {RULE}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF (SELECT case_id FROM cases_caseparticipant WHERE id = NEW.participant_id FOR SHARE)
           IS DISTINCT FROM NEW.case_id
        THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    *(
        f"""
        CREATE TRIGGER {RULE}_{table}
        BEFORE INSERT OR UPDATE OF case_id, participant_id ON cases_{table}
        FOR EACH ROW EXECUTE FUNCTION {RULE}()
        """
        for table in TABLES
    ),
    f"""
    CREATE FUNCTION {RULE}_case_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.case_id IS DISTINCT FROM OLD.case_id AND (
            EXISTS (SELECT 1 FROM cases_detention WHERE participant_id = NEW.id)
            OR EXISTS (SELECT 1 FROM cases_verdict WHERE participant_id = NEW.id)
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    f"""
    CREATE TRIGGER {RULE}_caseparticipant_case_fixed
    BEFORE UPDATE OF case_id ON cases_caseparticipant
    FOR EACH ROW EXECUTE FUNCTION {RULE}_case_fixed()
    """,
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS {RULE}_caseparticipant_case_fixed ON cases_caseparticipant",
    *(f"DROP TRIGGER IF EXISTS {RULE}_{table} ON cases_{table}" for table in TABLES),
    f"DROP FUNCTION IF EXISTS {RULE}_case_fixed()",
    f"DROP FUNCTION IF EXISTS {RULE}()",
]

STATEMENTS = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
}


status_change_participant_in_case = importlib.import_module(
    "cases.migrations.0002_status_change_participant_in_case"
)


def status_change_triggers(*, create: bool):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            create_statements, drop_statements = status_change_participant_in_case.STATEMENTS[
                "sqlite"
            ]
            for statement in create_statements if create else drop_statements:
                schema_editor.execute(statement)

    return apply


def run(statements_for):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in STATEMENTS:
            raise NotImplementedError(f"No triggers for the {vendor} database; add them here.")
        for statement in statements_for(STATEMENTS[vendor]):
            schema_editor.execute(statement)

    return apply


RELEASES = ("released", "acquitted", "charges_dropped", "died_in_custody", "deceased")


def end_detentions_left_open_by_releases(apps, schema_editor):
    """The rule of cases.services.end_detentions_on_release(), for the
    releases recorded before it: a person whose latest entry in the
    timeline is a release (statuses.ENDS_DETENTION) is no longer held by a
    detention that began by its date. Rows are few: the open detentions."""
    Detention = apps.get_model("cases", "Detention")
    StatusChange = apps.get_model("cases", "StatusChange")
    for detention in Detention.objects.filter(end__isnull=True).order_by("pk"):
        latest = (
            StatusChange.objects.filter(participant_links__participant=detention.participant_id)
            .order_by("-position", "-pk")
            .first()
        )
        if latest is None or latest.status not in RELEASES:
            continue
        if latest.date_precision == "year":
            last = latest.date.replace(month=12, day=31)
        elif latest.date_precision == "month":
            following = latest.date.replace(day=28) + datetime.timedelta(days=4)
            last = following - datetime.timedelta(days=following.day)
        else:
            last = latest.date
        if detention.start <= last:
            detention.end, detention.end_precision = latest.date, latest.date_precision
            detention.save(update_fields=["end", "end_precision"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0028_search_vector_statistics")]

    operations = [
        # On SQLite, adding a unique column remakes cases_statuschange, which the
        # triggers of migration 0002 do not survive: dropped first, created again after.
        migrations.RunPython(
            status_change_triggers(create=False), status_change_triggers(create=True)
        ),
        migrations.AddField(
            model_name="historicalstatuschange",
            name="verdict",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="cases.verdict",
                verbose_name="verdict",
            ),
        ),
        migrations.AddField(
            model_name="statuschange",
            name="verdict",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="status_change",
                to="cases.verdict",
                verbose_name="verdict",
            ),
        ),
        migrations.RunPython(
            status_change_triggers(create=True), status_change_triggers(create=False)
        ),
        migrations.RunPython(
            run(lambda pair: pair[0]), reverse_code=run(lambda pair: pair[1]), elidable=False
        ),
        migrations.RunPython(
            end_detentions_left_open_by_releases, reverse_code=migrations.RunPython.noop
        ),
    ]
