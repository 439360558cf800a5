"""Triggers that keep a status change to the people of its own case.

A CHECK constraint cannot look at another table, so the rule "a status change
concerns only people in its case" is kept by triggers, written for each
database the project supports. They refuse, with an integrity error naming
the rule:
- a person concerned who belongs to another case;
- moving a status change, or a person's place in a case, to another case
  while the two are linked.
"""

from django.db import migrations

RULE = "status_change_participant_in_case"
MESSAGE = f"{RULE}: a status change can only concern people in its own case"

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER {RULE}_{event.lower()}
    BEFORE {event} ON cases_statuschangeparticipant
    WHEN (SELECT case_id FROM cases_caseparticipant WHERE id = NEW.participant_id)
         IS NOT (SELECT case_id FROM cases_statuschange WHERE id = NEW.status_change_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """
    for event in ("INSERT", "UPDATE")
] + [
    f"""
    CREATE TRIGGER {RULE}_{table}_case_fixed
    BEFORE UPDATE OF case_id ON cases_{table}
    WHEN NEW.case_id IS NOT OLD.case_id
     AND EXISTS (SELECT 1 FROM cases_statuschangeparticipant WHERE {column} = NEW.id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """
    for table, column in (
        ("statuschange", "status_change_id"),
        ("caseparticipant", "participant_id"),
    )
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {RULE}_{name}"
    for name in ("insert", "update", "statuschange_case_fixed", "caseparticipant_case_fixed")
]

POSTGRESQL_CREATE = [
    f"""
    CREATE FUNCTION {RULE}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF (SELECT case_id FROM cases_caseparticipant WHERE id = NEW.participant_id FOR SHARE)
           IS DISTINCT FROM
           (SELECT case_id FROM cases_statuschange WHERE id = NEW.status_change_id FOR SHARE)
        THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    f"""
    CREATE TRIGGER {RULE}
    BEFORE INSERT OR UPDATE ON cases_statuschangeparticipant
    FOR EACH ROW EXECUTE FUNCTION {RULE}()
    """,
    f"""
    CREATE FUNCTION {RULE}_case_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.case_id IS DISTINCT FROM OLD.case_id AND EXISTS (
            SELECT 1 FROM cases_statuschangeparticipant
            WHERE (TG_TABLE_NAME = 'cases_statuschange' AND status_change_id = NEW.id)
               OR (TG_TABLE_NAME = 'cases_caseparticipant' AND participant_id = NEW.id)
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
] + [
    f"""
    CREATE TRIGGER {RULE}_{table}_case_fixed
    BEFORE UPDATE OF case_id ON cases_{table}
    FOR EACH ROW EXECUTE FUNCTION {RULE}_case_fixed()
    """
    for table in ("statuschange", "caseparticipant")
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS {RULE}_{table}_case_fixed ON cases_{table}"
    for table in ("statuschange", "caseparticipant")
] + [
    f"DROP TRIGGER IF EXISTS {RULE} ON cases_statuschangeparticipant",
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
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(
            run(lambda pair: pair[0]), reverse_code=run(lambda pair: pair[1]), elidable=False
        ),
    ]
