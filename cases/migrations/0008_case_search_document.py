"""Each case keeps its search document: title, summary and its people's names.

Text search (cases.search) looks only at this column, so that PostgreSQL can
index it for full-text search (migration 0009). Filled here for the cases
that exist; models keep it up to date from now on. Not part of the history
of edits: it is derived from other rows.
"""

from collections import defaultdict

from django.db import migrations, models

from cases.search import search_document


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseParticipant = apps.get_model("cases", "CaseParticipant")
    names = defaultdict(list)
    rows = CaseParticipant.objects.order_by("pk").values_list(
        "case_id", "person__name", "person__name_original", "person__other_names"
    )
    for case_id, *spellings in rows.iterator():
        names[case_id].extend(spellings)
    cases = list(Case.objects.only("pk", "title", "summary"))
    for case in cases:
        case.search_document = search_document(case.title, case.summary, names[case.pk])
    Case.objects.bulk_update(cases, ["search_document"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_editors_may_take_pictures_down")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="search_document",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search document"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
