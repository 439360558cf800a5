"""The read-only open-data API, /api/v1/: published cases, people, organisations
and charges as JSON, with an OpenAPI schema.

The cases it lists are the ones the public list shows: the same published
queryset, filtered by the same CaseFilter (see filters.py).
"""
