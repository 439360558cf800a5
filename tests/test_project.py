"""The project installs the same packages everywhere."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_dependency_in_pyproject_is_pinned_to_the_version_in_the_lock_file():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["dev"]
    locked = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            locked[_normalise(name)] = version

    for requirement in declared:
        match = re.fullmatch(
            r"([A-Za-z0-9_.-]+)(?:\[([a-z0-9,]+)\])?==([0-9][0-9A-Za-z.]*)", requirement
        )
        assert match, f"{requirement} is not pinned with =="
        name, extras, version = match.groups()
        assert locked.get(_normalise(name)) == version, f"{name} differs in requirements.lock"
        for extra in (extras or "").split(","):
            for needed in _required_by_extra(name, extra) if extra else ():
                assert _normalise(needed) in locked, (
                    f"{needed}, of {name}[{extra}], not in the lock"
                )


def _required_by_extra(name: str, extra: str) -> list[str]:
    """The names of the packages that NAME's EXTRA adds (psycopg[binary] adds
    psycopg-binary; django-storages[s3] adds boto3), from its installed metadata."""
    from importlib import metadata

    from packaging.requirements import Requirement

    needed = []
    for line in metadata.requires(name) or []:
        requirement = Requirement(line)
        marker = requirement.marker
        if marker and marker.evaluate({"extra": extra}) and not marker.evaluate({"extra": ""}):
            needed.append(requirement.name)
    return needed
