"""requirements.lock: every package of requirements.txt pinned, with hashes, at a version its range admits."""

from __future__ import annotations

import re
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
_PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


def _wanted() -> list[Requirement]:
    lines = (line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines())
    return [Requirement(line) for line in lines if line]


def _locked() -> dict[str, list[tuple[str, str, int]]]:
    """Package -> (version, marker, number of hashes) of each pin in the lock."""
    out: dict[str, list[tuple[str, str, int]]] = {}
    current = None
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        m = _PIN.match(line)
        if m:
            current = [m.group(2), (m.group(3) or "").strip(), 0]
            out.setdefault(_canonical(m.group(1)), []).append(current)
        elif "--hash=sha256:" in line and current is not None:
            current[2] += 1
    return {name: [tuple(pin) for pin in pins] for name, pins in out.items()}


def test_every_requirement_is_pinned_within_its_range():
    locked = _locked()
    for req in _wanted():
        pins = locked.get(_canonical(req.name))
        assert pins, f"{req.name} is in requirements.txt but not in requirements.lock: run `make lock`"
        for version, _marker, _ in pins:
            assert req.specifier.contains(version, prereleases=True), f"{req.name}=={version} outside {req.specifier}"


def test_every_pin_has_hashes_and_this_python_gets_one_version_of_each():
    env = default_environment()
    for name, pins in _locked().items():
        assert all(n_hashes for _, _, n_hashes in pins), f"{name} is pinned without a hash"
        here = [v for v, marker, _ in pins if not marker or Requirement(f"x; {marker}").marker.evaluate(env)]
        assert len(here) <= 1, f"{name}: several versions apply to this Python: {here}"
