"""Console roles are sets of the API's scopes: one model for tokens and people.

A page or an action declares the scope it needs (``ConsolePage.scope``); a user sees and does
exactly what the scopes of their role allow on their workspace, as a token with those scopes
would on the API.
"""

from __future__ import annotations

from enum import StrEnum

from frontoffice.domain.tenancy import WORKSPACE_SCOPES, Scope
from frontoffice.errors import InvalidInput


class Role(StrEnum):
    ADMIN = "admin"
    MARKETER = "marketer"
    AGENT = "agent"
    LEAD = "lead"
    PRIVACY_OFFICER = "privacy_officer"
    CATEGORY_MANAGER = "category_manager"


ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.ADMIN: WORKSPACE_SCOPES,
    Role.MARKETER: frozenset({Scope.EVENTS_READ, Scope.OUTBOUND_WRITE, Scope.INSIGHTS_READ}),
    Role.AGENT: frozenset({Scope.EVENTS_READ, Scope.CONSENT_WRITE, Scope.INSIGHTS_READ}),
    Role.LEAD: frozenset({Scope.EVENTS_READ, Scope.CONSENT_WRITE, Scope.IDENTITY_ADMIN,
                          Scope.OUTBOUND_WRITE, Scope.INSIGHTS_READ}),
    Role.PRIVACY_OFFICER: frozenset({Scope.EVENTS_READ, Scope.CONSENT_WRITE, Scope.PRIVACY_ADMIN,
                                     Scope.DSR_ADMIN}),
    # insights only: the products', suppliers' and prices' flags and their evidence, no people
    # and no service desk
    Role.CATEGORY_MANAGER: frozenset({Scope.INSIGHTS_READ}),
}


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise InvalidInput(f"Unknown role {value!r}; use one of: {known}.") from None


def grantable(granter: Role, role: Role) -> bool:
    """A user may only give a role whose scopes they hold themselves (like a token)."""
    return ROLE_SCOPES[role] <= ROLE_SCOPES[granter]
