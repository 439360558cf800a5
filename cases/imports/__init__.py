"""Importing an organisation's own list of cases: CSV (any common encoding)
or an Excel workbook, one row per person in a case (docs/import.md).

The steps, each in its own module:

- files: the file's bytes as a table of text cells, within the limits;
- mapping: another list's own columns and values as this format's;
- rows: each row read into what the register holds, with an error per cell
  that cannot be read and a note per column it cannot hold;
- plan: what importing would do to the database, row by row (create,
  update with the fields that change, unchanged, error, possible duplicate),
  read without writing; the preview and --dry-run show it;
- writes: the plan carried out in one transaction through cases.services.

The file itself is never kept: the command reads it from disk, the admin
page from the upload and then from the signed preview form (admin_import).
"""
