"""Files over the stated limits (docs/import.md: 20 MB, 20,000 rows) are
refused whole, with a message that says what to do, and nothing is written."""

import pytest
from django.core.management import CommandError, call_command

from cases.imports import files
from cases.imports.files import UnreadableFile, read_table
from cases.models import Case

pytestmark = pytest.mark.django_db


def a_list(rows: int) -> bytes:
    lines = ["title,country,name"] + [f"Case {n},KZ,Person {n}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_the_limits_are_those_the_documentation_states():
    assert (files.MAX_FILE_BYTES, files.MAX_ROWS) == (20 * 2**20, 20_000)


def test_a_list_of_20000_rows_is_read_and_one_row_more_is_refused(tmp_path):
    assert len(read_table(a_list(20_000), "list.csv").rows) == 20_000
    with pytest.raises(UnreadableFile) as refused:
        read_table(a_list(50_000), "list.csv")
    assert str(refused.value) == (
        "The file has more than 20,000 rows; at most 20,000 can be imported at once. Split it."
    )
    big = tmp_path / "big.csv"
    big.write_bytes(a_list(20_001))
    with pytest.raises(CommandError, match="more than 20,000 rows"):
        call_command("import_cases", str(big))
    assert not Case.objects.exists()


def test_a_file_over_20_mb_is_refused_before_it_is_read():
    data = a_list(3) + b"#" * (20 * 2**20)
    with pytest.raises(UnreadableFile) as refused:
        read_table(data, "list.csv")
    assert str(refused.value) == (
        "The file is 20.0 MB; at most 20 MB can be imported at once. Split it."
    )
