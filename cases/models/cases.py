from collections import Counter

from django.conf import settings
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from .. import search
from ..slugs import KeepsMadeSlugsUnique, fill_in_slug
from .charges import Charge
from .fields import label_of
from .organisations import Organisation
from .partial_dates import DatePrecision, precision_constraint, truncate
from .people import Person
from .publication import PublicationState, published
from .sources import Source
from .statuses import CASE_STATUS_ORDER, Status, counted

PUBLISHED = published()


def list_prefetches() -> list[Prefetch]:
    """What a case's card in a list shows beside the case: its people and
    charges, in their order (CaseQuerySet.for_list(), cases.cards)."""
    return [
        Prefetch(
            "participants",
            queryset=CaseParticipant.objects.select_related("person").order_by("pk"),
        ),
        Prefetch(
            "charge_links", queryset=CaseCharge.objects.select_related("charge").order_by("pk")
        ),
    ]


class CaseQuerySet(models.QuerySet):
    def published(self):
        """The only cases the public may see. Every public view starts here."""
        return self.filter(PUBLISHED)

    def recently_updated(self):
        """Latest status change first; cases without a timeline after them, by last edit."""
        return self.order_by(F("last_status_change_on").desc(nulls_last=True), "-updated_at", "-pk")

    def for_list(self):
        """What a list of cases shows: their people, charges and latest change."""
        return self.prefetch_related(*list_prefetches())

    def with_organisations(self):
        """Prefetch the organisations in each case, with their part in it (for open data)."""
        return self.prefetch_related(
            Prefetch(
                "organisation_links",
                queryset=CaseOrganisation.objects.select_related("organisation").order_by("pk"),
            )
        )

    def related_to(self, case, *, limit: int):
        """Other cases sharing a person, a charge or an organisation with CASE,
        enough to show the LIMIT most recently updated of them.

        One query for each kind of link, each reading the cases in the order
        of the sort's index until it has LIMIT of them: a single query for
        all three would gather every case that shares a common charge (tens of
        thousands) before sorting them. Uses CASE's links if prefetched.
        """
        others = self.exclude(pk=case.pk).recently_updated()
        linked = (
            (CaseParticipant, "person", [link.person_id for link in case.participants.all()]),
            (CaseCharge, "charge", [link.charge_id for link in case.charge_links.all()]),
            (
                CaseOrganisation,
                "organisation",
                [link.organisation_id for link in case.organisation_links.all()],
            ),
        )
        ids = set()
        for model, field, values in linked:
            if values:
                cases = model.objects.filter(**{f"{field}__in": values}).values("case_id")
                ids.update(others.filter(pk__in=cases).values_list("pk", flat=True)[:limit])
        return self.filter(pk__in=ids)

    def refresh_search_documents(self) -> None:
        """Rebuild the search document of these cases from their title and
        summary in every language, country and the names of their people and
        charges. Not an edit: neither updated_at nor the history of edits
        changes."""
        search.refresh_documents(self)


class Case(KeepsMadeSlugsUnique, models.Model):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        blank=True,
        help_text=_(
            "Used in the address of the case's page. Leave empty to make it from the title. "
            "It stays as it is when the title changes, so that links keep working."
        ),
    )
    summary = models.TextField(_("summary"), blank=True)
    country = CountryField(_("country"))
    region = models.CharField(
        _("region or city"), max_length=200, blank=True, help_text=_("Where it happens.")
    )
    start_date = models.DateField(_("started"), null=True, blank=True)
    start_date_precision = models.CharField(
        _("start date known to the"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
    )
    people = models.ManyToManyField(
        Person, through="CaseParticipant", related_name="cases", verbose_name=_("people")
    )
    charges = models.ManyToManyField(
        Charge, through="CaseCharge", related_name="cases", verbose_name=_("charges")
    )
    organisations = models.ManyToManyField(
        Organisation,
        through="CaseOrganisation",
        related_name="cases",
        verbose_name=_("organisations"),
    )
    sources = models.ManyToManyField(
        Source, through="CaseSource", related_name="cases", verbose_name=_("sources")
    )
    categories = models.ManyToManyField(
        "cases.Category",
        through="cases.CaseCategory",
        related_name="cases",
        verbose_name=_("categories"),
        blank=True,
    )
    call_to_action = models.TextField(
        _("call to action"),
        blank=True,
        help_text=_("What the public can do, e.g. “Send urgent protests to …”."),
    )
    publication_state = models.CharField(
        _("publication state"),
        max_length=10,
        choices=PublicationState,
        default=PublicationState.DRAFT,
    )
    # Kept when a case is withdrawn: a case that was ever public has one.
    published_at = models.DateTimeField(_("last published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last published by"),
    )
    # Written by cases.services.update_current_statuses(), and by cases.synthetic,
    # which computes the same for its generated cases in bulk; never by a form.
    current_status = models.CharField(
        _("current status"), max_length=30, choices=Status, blank=True, editable=False
    )
    last_status_change_on = models.DateField(
        _("last status change"), null=True, blank=True, editable=False
    )
    last_status_change_precision = models.CharField(
        _("last status change known to the"),
        max_length=5,
        choices=DatePrecision,
        blank=True,
        editable=False,
    )
    # What text search finds the case by (see cases.search): rebuilt by save()
    # here, and when a person in the case is added, removed or renamed.
    search_document = models.TextField(_("search document"), blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-last_status_change_on", "title"]
        permissions = [("publish_case", _("Can publish and withdraw cases"))]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="case_slug_unique",
                violation_error_message=_("Another case already has this slug."),
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="case_slug_not_empty",
                violation_error_message=_("A case needs a slug."),
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="case_title_not_empty",
                violation_error_message=_("A case needs a title."),
            ),
            models.CheckConstraint(
                condition=~PUBLISHED | Q(published_at__isnull=False),
                name="case_published_has_date",
                violation_error_message=_("A published case needs its date of publication."),
            ),
            precision_constraint("start_date", "start_date_precision", "case_start_date_precision"),
        ]
        # For the filters and sorts of the public list, which shows only
        # published cases. PostgreSQL has more (migration 0009): the sorts,
        # which need NULLS LAST, and the full-text index of search_document
        # (a generated tsvector column, search_vector: migration 0024).
        indexes = [
            models.Index(fields=["country"], condition=PUBLISHED, name="case_published_country"),
            models.Index(
                fields=["current_status"], condition=PUBLISHED, name="case_published_status"
            ),
            models.Index(fields=["title", "id"], condition=PUBLISHED, name="case_published_title"),
            # The editors' case list, in the admin's order (Meta.ordering, then
            # -pk): a page of it is read from the index, not sorted from the
            # whole table (650 ms at 100,000 cases).
            models.Index(
                fields=["-last_status_change_on", "title", "-id"], name="case_admin_list_order"
            ),
        ]

    def __str__(self):
        return self.title

    # Written only by cases.services: who may see the case, and where it
    # stands. A form, an inline or a restored version saves everything else.
    SERVICE_FIELDS = (
        "publication_state",
        "published_at",
        "published_by",
        "current_status",
        "last_status_change_on",
        "last_status_change_precision",
    )

    def save(self, *args, **kwargs):
        keep_service_fields(self, kwargs)
        update_fields = kwargs.get("update_fields")
        changed = {*in_each_language("title", "summary"), "title", "summary", "country"}
        if update_fields is None or changed & set(update_fields):
            names = search.names_by_case(Case, [self.pk])[self.pk] if self.pk is not None else []
            self.search_document = search.document_of(self, names)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_document"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("case_detail", kwargs={"slug": self.slug})

    def get_current_status_display(self):
        return label_of(Status, self.current_status)

    def clean(self):
        fill_in_slug(self, self.title)
        if self.start_date:
            self.start_date = truncate(self.start_date, self.start_date_precision)

    @property
    def is_published(self) -> bool:
        return self.publication_state == PublicationState.PUBLISHED

    @property
    def people_by_kind(self) -> dict[str, list["CaseParticipant"]]:
        """{kind: participants}: the persecuted apart from officials and others."""
        return people_by_kind(self.participants.all())

    @property
    def status_summary(self) -> list[str]:
        """Where the persecuted people of the case stand, worst off first:
        ["2 charged", "2 suspects"]. Uses the prefetched participants."""
        counts = Counter(
            p.current_status
            for p in self.participants.all()
            if p.is_persecuted and p.current_status
        )
        return [counted(status, counts[status]) for status in CASE_STATUS_ORDER if counts[status]]


def in_each_language(*names: str) -> list[str]:
    """The columns of the prose fields NAMES, one per language (cases/translation.py)."""
    return [f"{name}_{code}" for name in names for code in settings.MODELTRANSLATION_LANGUAGES]


def keep_service_fields(instance, save_kwargs: dict) -> None:
    """Keep, in a save of INSTANCE that names no fields, the fields that only
    cases.services writes (its model's SERVICE_FIELDS) as they are in the
    database.

    A form holds the row as it was when the request began: saved whole, it
    would write back a current status that an editor recording a status
    change has moved since, and a restored version of the history would
    publish or withdraw the case. The row is locked and read again, so the
    saved row and its history record both hold the values in force; the
    services themselves save with update_fields.
    """
    if instance._state.adding or instance.pk is None or save_kwargs.get("update_fields"):
        return
    model = type(instance)
    fields = [model._meta.get_field(name) for name in model.SERVICE_FIELDS]
    current = (
        model._base_manager.using(save_kwargs.get("using") or instance._state.db)
        .select_for_update()
        .filter(pk=instance.pk)
        .values(*(field.attname for field in fields))
        .first()
    )
    if current is None:
        return
    for field in fields:
        setattr(instance, field.attname, current[field.attname])
    save_kwargs["update_fields"] = [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and field not in fields
    ]


class CaseParticipant(models.Model):
    """A person in a case, with their part in it and where they stand now."""

    class Kind(models.TextChoices):
        """Who a role makes someone in the case: the public pages and the
        downloads show the persecuted apart from officials and other actors."""

        PERSECUTED = "persecuted", _("persecuted")
        OFFICIAL = "official", _("official")
        OTHER_ACTOR = "other_actor", _("other actor")

    class Role(models.TextChoices):
        TARGETED = "targeted", _("targeted")
        ACCUSED = "accused", _("accused")
        DEFENDANT = "defendant", _("defendant")
        SUSPECT = "suspect", _("suspect")
        WITNESS = "witness", _("witness")
        LAWYER = "lawyer", _("lawyer")
        RELATIVE = "relative", _("relative")
        OFFICIAL = "official", _("official")
        OTHER = "other", _("other")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="participants", verbose_name=_("case")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="participations", verbose_name=_("person")
    )
    role = models.CharField(_("role in the case"), max_length=20, choices=Role)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Written by cases.services.update_current_statuses(), and by cases.synthetic,
    # which computes the same for its generated cases in bulk; never by a form.
    current_status = models.CharField(
        _("current status"), max_length=30, choices=Status, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("person in the case")
        verbose_name_plural = _("people in the case")
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"],
                name="case_participant_unique",
                violation_error_message=_("This person is already in the case."),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"

    SERVICE_FIELDS = ("current_status",)

    # The case is found by the names of its people.

    def save(self, *args, **kwargs):
        keep_service_fields(self, kwargs)
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"person", "person_id", "case", "case_id"} & set(update_fields):
            Case.objects.filter(pk=self.case_id).refresh_search_documents()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        Case.objects.filter(pk=self.case_id).refresh_search_documents()
        return result

    def get_role_display(self):
        return label_of(self.Role, self.role)

    @property
    def kind(self) -> str:
        return kind_of_role(self.role)

    @property
    def is_persecuted(self) -> bool:
        return self.kind == self.Kind.PERSECUTED

    @property
    def role_goes_without_saying(self) -> bool:
        """In a list of the persecuted, those accused or on trial need no word
        of their role; a suspect, witness or someone targeted does."""
        return self.role in (self.Role.ACCUSED, self.Role.DEFENDANT)

    def get_current_status_display(self):
        return label_of(Status, self.current_status)


ROLE_KINDS = {
    CaseParticipant.Role.OFFICIAL: CaseParticipant.Kind.OFFICIAL,
    CaseParticipant.Role.LAWYER: CaseParticipant.Kind.OTHER_ACTOR,
    CaseParticipant.Role.RELATIVE: CaseParticipant.Kind.OTHER_ACTOR,
    CaseParticipant.Role.OTHER: CaseParticipant.Kind.OTHER_ACTOR,
}
"""The kind of each role that is not PERSECUTED (targeted, accused, defendant,
suspect, witness: a witness questioned in a political case is under pressure)."""


def kind_of_role(role: str) -> str:
    """persecuted, official or other_actor: what ROLE makes someone in a case."""
    return ROLE_KINDS.get(role, CaseParticipant.Kind.PERSECUTED)


def people_by_kind(participants) -> dict[str, list["CaseParticipant"]]:
    """{kind: the participants of that kind}, in the order given, every kind present."""
    kinds = {kind: [] for kind in CaseParticipant.Kind}
    for participant in participants:
        kinds[participant.kind].append(participant)
    return kinds


class CaseCharge(models.Model):
    """A charge brought or threatened in a case, with where that charge stands."""

    class State(models.TextChoices):
        # In context: a charge is "convicted" in other words than a person is.
        THREATENED = "threatened", pgettext_lazy("charge state", "threatened")
        FILED = "filed", pgettext_lazy("charge state", "filed")
        DROPPED = "dropped", pgettext_lazy("charge state", "dropped")
        CONVICTED = "convicted", pgettext_lazy("charge state", "convicted")
        ACQUITTED = "acquitted", pgettext_lazy("charge state", "acquitted")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="charge_links", verbose_name=_("case")
    )
    charge = models.ForeignKey(
        Charge, on_delete=models.PROTECT, related_name="case_links", verbose_name=_("charge")
    )
    state = models.CharField(_("state"), max_length=20, choices=State)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("charge in the case")
        verbose_name_plural = _("charges in the case")
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "charge"],
                name="case_charge_unique",
                violation_error_message=_("This charge is already in the case."),
            ),
        ]

    def __str__(self):
        return f"{self.charge} ({self.get_state_display()})"

    # The case is found by the names of its charges.

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"charge", "charge_id", "case", "case_id"} & set(update_fields):
            Case.objects.filter(pk=self.case_id).refresh_search_documents()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        Case.objects.filter(pk=self.case_id).refresh_search_documents()
        return result

    def get_state_display(self):
        return label_of(self.State, self.state)


class CaseOrganisation(models.Model):
    """An organisation in a case: targeted by it, campaigning on it, or acting in it."""

    class Role(models.TextChoices):
        TARGETED = "targeted", _("targeted")
        CAMPAIGNING = "campaigning", _("campaigning")
        AUTHORITY = "authority", _("authority acting in the case")
        OTHER = "other", _("other")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="organisation_links", verbose_name=_("case")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="case_links",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role in the case"), max_length=20, choices=Role)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("organisation in the case")
        verbose_name_plural = _("organisations in the case")
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"],
                name="case_organisation_unique",
                violation_error_message=_("This organisation is already in the case."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class CaseSource(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="source_links", verbose_name=_("case")
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="case_links", verbose_name=_("source")
    )

    class Meta:
        verbose_name = _("source of the case")
        verbose_name_plural = _("sources of the case")
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "source"],
                name="case_source_unique",
                violation_error_message=_("This source is already cited by the case."),
            ),
        ]

    def __str__(self):
        return str(self.source)


class CallToActionTarget(models.Model):
    """Someone the public is asked to write to or call about a case."""

    class Kind(models.TextChoices):
        RECIPIENT = "recipient", _("send protests to")
        COPY = "copy", _("send copies to")

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="call_to_action_targets",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.RECIPIENT)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_to_action_targets",
        verbose_name=_("institution"),
    )
    addressee = models.CharField(
        _("addressee"),
        max_length=300,
        blank=True,
        help_text=_("Official or office, e.g. “Head of the Supreme Court”."),
    )
    email = models.EmailField(_("email"), blank=True)
    copy_to = models.CharField(
        _("copies to"),
        max_length=500,
        blank=True,
        help_text=_("Further email addresses, separated by commas."),
    )
    phone = models.CharField(
        _("telephone"),
        max_length=50,
        blank=True,
        help_text=_("In international form, e.g. “+7 7172 747570”."),
    )
    postal_address = models.TextField(_("postal address"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("call to action target")
        verbose_name_plural = _("call to action targets")
        ordering = ["case", "kind", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(addressee=""),
                name="call_to_action_target_named",
                violation_error_message=_("Name the institution or the addressee."),
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^\+?[0-9 ()./-]+$"),
                name="call_to_action_target_phone_digits",
                violation_error_message=_(
                    "A telephone number may hold only digits, spaces, brackets, dots, "
                    "hyphens and a leading +."
                ),
            ),
        ]

    def __str__(self):
        return self.addressee or str(self.organisation)

    @property
    def copy_to_list(self) -> list[str]:
        return [address.strip() for address in self.copy_to.split(",") if address.strip()]

    @property
    def phone_uri(self) -> str:
        """The tel: address: 'tel:+77172745524' from '+7 (7172) 74 55 24'."""
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        return f"tel:+{digits}" if self.phone.startswith("+") else f"tel:{digits}"

    def clean(self):
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        for address in self.copy_to_list:
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    {"copy_to": _("“%(address)s” is not an email address.") % {"address": address}}
                ) from None
