"""PostgreSQL keeps finer statistics of the words in the search vector.

Whether a search finds anything is asked first (cases.search.matching: if
not, near spellings are tried). With the default statistics target (100) the
planner knows the 1,000 most common words of the documents and guesses that
any other word is in about 0.4 % of cases (395 of 100,000); asked for one
row, it then reads the cases in order until one matches, which for a word in
no case means all of them: 220-330 ms at 100,000 cases for a typo or a name
not in the register (bench/search_cost.py, "Nurlanvoa" and "Qwxzvbnm"). With
1,000 it knows the 10,000 most common words, guesses a few dozen cases for
any other, and looks such a word up in the full-text index instead: under a
millisecond either way. ANALYZE of the table samples more rows for it (2 s at
100,000 cases). Reversible.
"""

from django.db import migrations

STATISTICS_TARGET = 1000


def set_statistics(target):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE cases_case ALTER COLUMN search_vector SET STATISTICS {target}"
            )
            schema_editor.execute("ANALYZE cases_case")

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0027_ids_in_imported_lists")]

    operations = [
        migrations.RunPython(set_statistics(STATISTICS_TARGET), set_statistics(-1)),
    ]
