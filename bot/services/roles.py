"""Roles a person can hold, and which of them an admin may hand out."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    RESIDENT = "resident"
    CHAIR = "chair"
    EXPERT = "expert"
    ORGANISER = "organiser"
    ADMIN = "admin"


# Roles granted by an invite link; resident and chair come from registration itself.
INVITABLE = (Role.ORGANISER, Role.EXPERT, Role.ADMIN)
PRIVILEGED = (Role.EXPERT, Role.ORGANISER, Role.ADMIN)


class Kind(StrEnum):
    """Who the person says they are at registration."""

    RESIDENT = "resident"
    TOS_MEMBER = "tos_member"
    TOS_CHAIR = "tos_chair"


def roles_for_kind(kind: Kind) -> set[Role]:
    return {Role.RESIDENT, Role.CHAIR} if kind is Kind.TOS_CHAIR else {Role.RESIDENT}
