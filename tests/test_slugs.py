"""Slugs made from names in any script: transliterated, never emptied, never
taken from another row, and never changed by a rename (cases.slugs)."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from cases.admin import PersonAdmin
from cases.models import Case, Charge, Organisation, Person
from cases.slugs import slug_from, unique_slug

from .conftest import form_data, staff_member

KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Айнур Курманов", "ainur-kurmanov"),
        ("Евгений Жовтис", "evgenii-zhovtis"),
        ("Қазақстан ұлттық", "qazaqstan-ulttyq"),
        ("Әділет Өмір Үміт Ілияс Ұлан Ғалым Һ Ң", "adilet-omir-umit-iliyas-ulan-ghalym-h-ng"),
        ("Ainur Kurmanov (Айнур Құрманов)", "ainur-kurmanov-ainur-qurmanov"),
        ("习近平", "xijinping"),
        ("Leave People's Homes Alone", "leave-peoples-homes-alone"),
    ],
)
def test_a_name_in_any_script_makes_a_readable_slug(name, slug):
    assert slug_from(name, max_length=200, fallback="person") == slug


@pytest.mark.parametrize("letter", KAZAKH_LETTERS)
def test_no_kazakh_letter_is_dropped(letter):
    # urlify.js, the admin's old prepopulating script, dropped each of these.
    slug = slug_from(f"a{letter}a", max_length=200, fallback="person")
    assert len(slug) > 2
    assert slug.isascii()
    assert slug.isalpha()


@pytest.mark.parametrize("name", ["???", "—", "«»", "   ", ""])
def test_a_name_with_no_letter_a_slug_can_keep_gets_the_fallback(name):
    assert slug_from(name, max_length=200, fallback="person") == "person"


def test_a_long_name_is_cut_between_words_to_fit():
    name = "Социалистическое движение Казахстана"  # sotsialisticheskoe-dvizhenie-kazakhstana

    assert slug_from(name, max_length=30, fallback="organisation") == "sotsialisticheskoe-dvizhenie"
    assert slug_from(name, max_length=28, fallback="organisation") == "sotsialisticheskoe-dvizhenie"
    assert slug_from(name, max_length=27, fallback="organisation") == "sotsialisticheskoe"


def test_a_single_word_longer_than_the_field_is_cut_where_it_must_be():
    assert slug_from("Социалистическое", max_length=10, fallback="person") == "sotsialist"


def test_a_case_title_longer_than_the_slug_field_makes_a_slug_that_fits(db):
    title = " ".join(["Преследование активистов Социалистического движения"] * 8)  # 423 letters
    case = Case(title=title[:300], country="KZ")

    case.full_clean()
    case.save()

    assert 190 < len(case.slug) <= 200
    assert case.slug.startswith("presledovanie-aktivistov-sotsialisticheskogo-dvizheniya-")
    # Whole words only: the slug's words are the first words of the whole title's.
    words = case.slug.split("-")
    assert slug_from(title, max_length=1000, fallback="case").split("-")[: len(words)] == words


@pytest.mark.parametrize(
    ("model", "fields", "slug"),
    [
        (Person, {"name": "Айнур Курманов"}, "ainur-kurmanov"),
        (Organisation, {"name": "Қазақстан ұлттық кеңесі"}, "qazaqstan-ulttyq-kengesi"),
        (Charge, {"name": "самоуправство", "country": "KZ"}, "samoupravstvo"),
        (Case, {"title": "Дело Жовтиса", "country": "KZ"}, "delo-zhovtisa"),
    ],
)
def test_every_model_with_a_slug_makes_one_from_its_name_when_it_is_left_empty(
    db, model, fields, slug
):
    row = model(**fields)
    row.full_clean()
    row.save()
    assert row.slug == slug


def test_a_made_slug_that_is_taken_gets_a_number(make_person):
    make_person("Ainur Kurmanov", slug="ainur-kurmanov")
    made = []
    for _ in range(2):
        person = Person(name="Айнур Курманов")
        person.full_clean()
        person.save()
        made.append(person.slug)

    assert made == ["ainur-kurmanov-2", "ainur-kurmanov-3"]


def test_a_number_added_to_a_long_slug_still_fits_and_cuts_no_word(make_person):
    name = f"{'a' * 99} {'b' * 99} c"
    make_person(name="First", slug=f"{'a' * 99}-{'b' * 99}")  # 199 letters: c did not fit

    # "-2" leaves room for 198: not for all of b's word, which goes whole.
    assert unique_slug(Person(name=name), name) == f"{'a' * 99}-2"


def test_a_name_of_symbols_only_gets_a_slug_and_then_a_numbered_one(db):
    slugs = []
    for _ in range(2):
        person = Person(name="???")
        person.full_clean()
        person.save()
        slugs.append(person.slug)

    assert slugs == ["person", "person-2"]


# The admin, as editors use it


def add_person(client, **fields):
    url = reverse("admin:cases_person_add")
    data = form_data(client.get(url)) | {"slug": ""} | fields
    return client.post(url, data)


def test_an_editor_adds_ainur_kurmanov_in_cyrillic_and_his_page_is_at_ainur_kurmanov(
    client, editor, make_case
):
    response = add_person(client, name="Айнур Курманов")

    assert response.status_code == 302, response.context and response.context["errors"]
    person = Person.objects.get(name="Айнур Курманов")
    assert person.get_absolute_url() == "/people/ainur-kurmanov/"
    make_case(people=[person])
    assert "Айнур Курманов" in client.get("/people/ainur-kurmanov/").text


def test_the_slug_field_tells_the_editor_it_may_be_left_empty(client, editor):
    response = client.get(reverse("admin:cases_person_add"))
    assert "Leave empty to make it from the name." in response.text


def test_a_second_ainur_kurmanov_added_in_the_admin_gets_a_numbered_slug(
    client, editor, make_person
):
    make_person("Ainur Kurmanov", slug="ainur-kurmanov")

    response = add_person(client, name="Айнур Курманов")

    assert response.status_code == 302, response.context and response.context["errors"]
    assert Person.objects.get(name="Айнур Курманов").slug == "ainur-kurmanov-2"


def test_a_slug_the_editor_typed_that_is_taken_is_refused_and_nothing_is_saved(
    client, editor, make_person
):
    make_person("Ainur Kurmanov", slug="ainur-kurmanov")

    response = add_person(client, name="Айнур Курманов", slug="ainur-kurmanov")

    assert response.status_code == 200
    assert "Another person already has this slug." in response.text
    assert not Person.objects.filter(name="Айнур Курманов").exists()


def test_renaming_a_person_keeps_the_address_of_their_page(client, editor, make_person):
    person = make_person("Ainur Kurmanov", slug="ainur-kurmanov")
    url = reverse("admin:cases_person_change", args=[person.pk])
    data = form_data(client.get(url)) | {"name": "Aynur Kurmanov"}

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    person.refresh_from_db()
    assert (person.name, person.slug) == ("Aynur Kurmanov", "ainur-kurmanov")


def test_an_editor_who_clears_the_slug_gets_one_made_from_the_current_name(
    client, editor, make_person
):
    person = make_person("Esenbek Ukteshbayev", slug="typo-ukteshbaev")
    url = reverse("admin:cases_person_change", args=[person.pk])
    data = form_data(client.get(url)) | {"slug": ""}

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    person.refresh_from_db()
    assert person.slug == "esenbek-ukteshbayev"


# Two editors at once


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Person, {"name": "Айнур Курманов"}),
        (Organisation, {"name": "Қазақстан ұлттық кеңесі"}),
        (Charge, {"name": "самоуправство", "country": "KZ"}),
        (Case, {"title": "Дело Жовтиса", "country": "KZ"}),
    ],
)
def test_a_made_slug_taken_between_checking_and_saving_gets_the_next_number(db, model, fields):
    first, second = model(**fields), model(**fields)
    first.full_clean()
    second.full_clean()  # Both were checked before either was saved.

    first.save()
    second.save()

    assert second.slug == f"{first.slug}-2"
    assert model.objects.filter(slug__startswith=first.slug).count() == 2


def test_a_typed_slug_taken_between_checking_and_saving_is_not_renumbered(db):
    first = Person(name="Айнур Курманов", slug="kurmanov")
    second = Person(name="Ainur Kurmanov", slug="kurmanov")
    first.full_clean()
    second.full_clean()
    first.save()

    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()

    assert list(Person.objects.values_list("name", flat=True)) == ["Айнур Курманов"]


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="on SQLite a request's transaction holds the write lock from its start",
)
@pytest.mark.django_db(transaction=True)
def test_two_editors_adding_the_same_name_at_the_same_moment_both_get_a_page(
    monkeypatch, fast_password_hasher
):
    anna, boris = Client(), Client()
    for client, name in ((anna, "anna"), (boris, "boris")):
        client.force_login(staff_member(name, "Editor"))
    save_model = PersonAdmin.save_model

    def anna_checked_then_boris_adds(self, request, obj, form, change):
        if request.user.username == "anna":
            # Anna's form made "ainur-kurmanov"; Boris's, made now, too.
            done = {}

            def boris_adds():
                try:
                    done["response"] = add_person(boris, name="Ainur Kurmanov")
                finally:
                    connection.close()

            thread = threading.Thread(target=boris_adds)
            thread.start()
            thread.join(timeout=30)
            assert done["response"].status_code == 302
        save_model(self, request, obj, form, change)

    monkeypatch.setattr(PersonAdmin, "save_model", anna_checked_then_boris_adds)

    response = add_person(anna, name="Айнур Курманов")

    assert response.status_code == 302
    assert dict(Person.objects.values_list("name", "slug")) == {
        "Ainur Kurmanov": "ainur-kurmanov",
        "Айнур Курманов": "ainur-kurmanov-2",
    }
