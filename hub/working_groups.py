"""The working groups' own facts (members, leadership, meetings), read from
``hub/working_groups.yaml`` so a working group changes them by editing data,
not templates. Checked when loaded: a wrong province or role is reported with
where it is, instead of showing a half-empty page."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hub.vocabularies import load_vocabularies
from hub.yamlsafe import strict_load

PATH = Path(__file__).with_name("working_groups.yaml")
ROLES = ("member", "co-chair")


class WorkingGroupDataError(ValueError):
    """hub/working_groups.yaml says something the pages cannot show."""


@dataclass(frozen=True)
class Member:
    partnership: str
    provinces: tuple[str, ...]
    role: str


@dataclass(frozen=True)
class WorkingGroup:
    key: str
    endpoint: str
    members: tuple[Member, ...]
    leadership: tuple[tuple[str, str | None], ...]  # (role, name or None when not published)
    meetings: dict[str, str] | None
    accountable_to: dict[str, str] | None
    open_to: dict[str, str] | None
    members_count: int | None
    partnerships_count: int | None

    def text(self, field: str, lang: str) -> str | None:
        """A bilingual fact in ``lang`` (None when the group has not given it)."""
        value = getattr(self, field)
        return value.get(lang) if value else None


def _bilingual(raw, where: str) -> dict[str, str] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) != {"en", "fr"} or not all(isinstance(v, str) and v for v in
                                                                       raw.values()):
        raise WorkingGroupDataError(f"{where}: give the text in English and French (en: …, fr: …), or null")
    return dict(raw)


def parse_groups(data: dict) -> dict[str, WorkingGroup]:
    regions = set(load_vocabularies().keys("regions"))
    groups = {}
    for key, raw in (data or {}).items():
        members = []
        for n, m in enumerate(raw.get("members") or [], 1):
            where = f"{key}, member {n}"
            provinces = m.get("province")
            provinces = tuple(provinces if isinstance(provinces, list) else [provinces])
            if not m.get("partnership") or not all(p in regions for p in provinces):
                raise WorkingGroupDataError(f"{where}: needs a partnership and a province from the regions "
                                            f"vocabulary ({', '.join(sorted(regions))})")
            if m.get("role", "member") not in ROLES:
                raise WorkingGroupDataError(f"{where}: role must be one of {', '.join(ROLES)}")
            members.append(Member(str(m["partnership"]), provinces, m.get("role", "member")))
        leadership = []
        for n, lead in enumerate(raw.get("leadership") or [], 1):
            if lead.get("role") not in ROLES[1:]:
                raise WorkingGroupDataError(f"{key}, leadership {n}: role must be co-chair")
            leadership.append((lead["role"], lead.get("name") or None))
        groups[key] = WorkingGroup(
            key=key, endpoint=raw["endpoint"], members=tuple(members), leadership=tuple(leadership),
            meetings=_bilingual(raw.get("meetings"), f"{key}, meetings"),
            accountable_to=_bilingual(raw.get("accountable_to"), f"{key}, accountable_to"),
            open_to=_bilingual(raw.get("open_to"), f"{key}, open_to"),
            members_count=raw.get("members_count"), partnerships_count=raw.get("partnerships_count"))
    return groups


@lru_cache(maxsize=1)
def load_groups() -> dict[str, WorkingGroup]:
    return parse_groups(strict_load(PATH.read_text(encoding="utf-8")))


def working_group(key: str) -> WorkingGroup:
    return load_groups()[key]
