"""Triggers that keep a detention and a verdict to a person of their own case.

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

from django.db import migrations

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


def run(statements_for):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in STATEMENTS:
            raise NotImplementedError(f"No triggers for the {vendor} database; add them here.")
        for statement in statements_for(STATEMENTS[vendor]):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("cases", "0027_ids_in_imported_lists")]

    operations = [
        migrations.RunPython(
            run(lambda pair: pair[0]), reverse_code=run(lambda pair: pair[1]), elidable=False
        ),
    ]
