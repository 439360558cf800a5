"""Public pages. Every view starts from the published querysets."""

from django.shortcuts import get_object_or_404, render

from .models import Case, Charge, Organisation, Person


def home(request):
    cases = Case.objects.published()[:20]
    return render(request, "cases/home.html", {"cases": cases})


def case_detail(request, slug):
    case = get_object_or_404(Case.objects.published(), slug=slug)
    return render(request, "cases/case_detail.html", {"case": case})


def person_detail(request, slug):
    person = get_object_or_404(Person.objects.public(), slug=slug)
    return render(request, "cases/person_detail.html", {"person": person})


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.public(), slug=slug)
    return render(request, "cases/organisation_detail.html", {"organisation": organisation})


def charge_detail(request, slug):
    charge = get_object_or_404(Charge.objects.public(), slug=slug)
    return render(request, "cases/charge_detail.html", {"charge": charge})
