"""generate_cases: synthetic data for the benchmark, plainly marked, the same for
a seed, and consistent with what the models and services would have written."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max, Min

from cases import services, synthetic
from cases.models import (
    CallToActionTarget,
    Case,
    CaseCharge,
    CaseOrganisation,
    CaseParticipant,
    Category,
    Charge,
    Detention,
    Organisation,
    Person,
    PlaceOfDetention,
    PublicationState,
    PublicDataVersion,
    Recognition,
    Source,
    StatusChange,
    StatusChangeParticipant,
    StatusChangeSource,
    Verdict,
    VerdictCharge,
)

pytestmark = pytest.mark.django_db


def generate(cases=40, seed=1, **options):
    call_command("generate_cases", cases=cases, seed=seed, stdout=_Quiet(), **options)


class _Quiet:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def fingerprint():
    """Every synthetic row, named by slugs and addresses rather than ids."""
    return {
        "cases": list(
            Case.objects.order_by("slug").values_list(
                "slug",
                "title",
                "summary",
                "country",
                "region",
                "start_date",
                "start_date_precision",
                "call_to_action",
                "publication_state",
                "published_at",
                "current_status",
                "last_status_change_on",
                "last_status_change_precision",
                "search_document",
                "created_at",
                "updated_at",
            )
        ),  # fmt: skip
        "people": list(
            Person.objects.order_by("slug").values_list(
                "slug", "name", "name_original", "other_names", "occupation", "country"
            )
        ),
        "participants": list(
            CaseParticipant.objects.order_by("case__slug", "pk").values_list(
                "case__slug", "person__slug", "role", "current_status"
            )
        ),
        "charges": list(
            CaseCharge.objects.order_by("case__slug", "pk").values_list(
                "case__slug", "charge__slug", "charge__name", "charge__article", "state"
            )
        ),
        "organisations": list(
            CaseOrganisation.objects.order_by("case__slug", "pk").values_list(
                "case__slug", "organisation__slug", "organisation__name", "role"
            )
        ),
        "targets": list(
            CallToActionTarget.objects.order_by("case__slug", "pk").values_list(
                "case__slug", "kind", "addressee", "email", "phone"
            )
        ),
        "timeline": list(
            StatusChange.objects.order_by("case__slug", "pk").values_list(
                "case__slug", "date", "date_precision", "status", "headline", "description"
            )
        ),
        "concerned": list(
            StatusChangeParticipant.objects.order_by("status_change__case__slug", "pk").values_list(
                "status_change__case__slug",
                "status_change__headline",
                "participant__person__slug",
            )
        ),  # fmt: skip
        "cited": list(
            StatusChangeSource.objects.order_by("status_change__case__slug", "pk").values_list(
                "status_change__case__slug",
                "status_change__date",
                "source__url",
                "source__title",
                "source__publisher",
                "source__published_on",
            )
        ),  # fmt: skip
    }


def test_the_same_seed_gives_the_same_rows():
    generate(seed=7)
    first = fingerprint()

    generate(seed=7, replace=True)

    assert fingerprint() == first
    assert len(first["cases"]) == 40


def test_another_seed_gives_other_rows():
    generate(seed=7)
    first = fingerprint()

    generate(seed=8, replace=True)

    second = fingerprint()
    assert len(second["cases"]) == 40
    for table in ("cases", "people", "participants", "timeline"):
        assert second[table] != first[table], table


def test_current_statuses_are_those_the_service_computes():
    generate(cases=60)
    before = fingerprint()

    for case in Case.objects.all():
        services.update_current_statuses(case)

    after = fingerprint()
    # update_current_statuses() saves the case, which sets updated_at to now.
    strip = [row[:-1] for row in before["cases"]], [row[:-1] for row in after["cases"]]
    assert strip[0] == strip[1]
    assert after["participants"] == before["participants"]


def test_search_documents_are_those_the_models_compute():
    generate(cases=60)
    before = list(Case.objects.order_by("pk").values_list("search_document", flat=True))

    Case.objects.all().refresh_search_documents()

    assert list(Case.objects.order_by("pk").values_list("search_document", flat=True)) == before


def test_every_row_passes_the_models_validation():
    generate(cases=20)

    for model in (
        Person, Charge, Organisation, Source, Case, StatusChange, CallToActionTarget,
        PlaceOfDetention, Category, Detention, Verdict, VerdictCharge, Recognition,
    ):  # fmt: skip
        for row in model.objects.all():
            row.full_clean()


def test_it_makes_the_facts_of_people_held_in_realistic_shares():
    """Detentions follow each person's timeline: whoever stands in pre-trial
    detention, under house arrest or imprisoned is held now; a verdict for
    whoever was convicted; places, sexes, categories and recognitions in part."""
    generate(cases=300)

    held_statuses = ["pre_trial_detention", "house_arrest", "imprisoned"]
    held_by_status = CaseParticipant.objects.filter(current_status__in=held_statuses).exclude(
        role__in=["lawyer", "relative", "official", "other"]  # not among the persecuted
    )
    open_episodes = Detention.objects.held_now()
    assert set(held_by_status.values_list("pk", flat=True)) <= set(
        open_episodes.values_list("participant", flat=True)
    )
    # Someone on trial, convicted or sentenced may still be held, as before.
    assert set(open_episodes.values_list("participant__current_status", flat=True)) <= {
        *held_statuses,
        "on_trial",
        "convicted",
        "sentenced",
    }
    assert Detention.objects.filter(end__isnull=False).exists()
    with_place = Detention.objects.filter(place__isnull=False).count()
    assert 0.2 < with_place / Detention.objects.count() < 0.6
    sentenced = Verdict.objects.filter(sentence_kind="imprisonment")
    assert sentenced.filter(expected_release__isnull=False).count() > sentenced.count() / 2
    assert Verdict.objects.filter(outcome="upheld", appeal_of__isnull=False).exists()
    assert Verdict.objects.filter(outcome="acquitted").exists()
    assert not Detention.objects.filter(source_links=None).exists()
    assert not Verdict.objects.filter(source_links=None).exists()
    people = Person.objects.count()
    assert 0.8 < Person.objects.exclude(sex="").count() / people < 0.95
    assert Recognition.objects.exists()
    assert Case.objects.filter(category_links__isnull=False).distinct().count() > 150


def test_it_makes_what_a_national_monitor_holds():
    generate(cases=300)

    people = Case.objects.annotate(n=Count("participants")).aggregate(Min("n"), Max("n"))
    changes = Case.objects.annotate(n=Count("status_changes")).aggregate(Min("n"), Max("n"))
    assert (people["n__min"], people["n__max"]) == (1, 30)
    assert (changes["n__min"], changes["n__max"]) == (1, 40)
    assert Case.objects.values("country").distinct().count() >= 15
    assert Charge.objects.count() >= 100
    states = dict(Case.objects.order_by().values_list("publication_state").annotate(Count("pk")))
    assert states[PublicationState.DRAFT] >= 10
    assert states[PublicationState.PUBLISHED] >= 200
    assert states[PublicationState.WITHDRAWN] >= 3
    # Each entry cites a source and concerns at least one person.
    assert not StatusChange.objects.filter(source_links=None).exists()
    assert not StatusChange.objects.filter(participant_links=None).exists()
    # Some people are in several cases.
    assert Person.objects.annotate(n=Count("participations")).filter(n__gt=1).exists()
    # The benchmark's case with a long timeline.
    full = Case.objects.get(slug="synthetic-case-0")
    assert full.is_published
    assert (full.status_changes.count(), full.participants.count()) == (40, 30)


def test_everything_is_plainly_synthetic_and_apart_from_the_demo_data(settings):
    settings.DEBUG = True  # a developer's database, with the demo data of `make run`
    call_command("load_demo", verbosity=0)
    demo = fingerprint()
    generate(cases=20)

    for model in (Case, Person, Charge, Organisation):
        made = model.objects.exclude(pk__in=[row.pk for row in _demo_rows(model)])
        assert all(slug.startswith("synthetic-") for slug in made.values_list("slug", flat=True))
    assert all(name.startswith("Synthetic ") for name in _new(Person, "name"))
    assert all(url.startswith("https://synthetic.example.org/") for url in _new(Source, "url"))

    synthetic.delete()
    assert fingerprint() == demo


def _demo_rows(model):
    return model.objects.exclude(slug__startswith="synthetic-")


def _new(model, field):
    """FIELD of the synthetic rows of MODEL (the demo's one source has no address)."""
    rows = model.objects.exclude(url="") if model is Source else _synthetic(model)
    return list(rows.values_list(field, flat=True))


def _synthetic(model):
    return model.objects.filter(slug__startswith="synthetic-")


def test_it_keeps_no_history_of_edits():
    generate(cases=5)

    assert not Case.history.exists()
    assert not StatusChange.history.exists()


def test_it_raises_the_public_data_version_so_cached_counts_go():
    before = PublicDataVersion.current()

    generate(cases=5)

    assert PublicDataVersion.current() != before


def test_it_refuses_to_add_to_synthetic_data_unless_asked_to_replace_it():
    generate(cases=5)

    with pytest.raises(CommandError, match="already holds 5 synthetic cases"):
        generate(cases=5)
    generate(cases=3, replace=True)
    assert synthetic.count() == 3


def test_it_refuses_a_database_with_real_cases_in_production(settings, make_case):
    make_case("A real case")
    settings.DEBUG = False

    with pytest.raises(CommandError, match="not synthetic"):
        generate(cases=5)
    assert synthetic.count() == 0


def test_make_run_never_generates_cases():
    with open("Makefile") as makefile:
        run = makefile.read().split("\nrun:")[1].split("\n\n")[0]

    assert "generate_cases" not in run
