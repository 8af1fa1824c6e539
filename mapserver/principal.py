"""Who is asking: the principal resolved once per request from a session or a bearer token."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Principal:
    """The caller as the scoping function sees it."""

    username: str = ""
    role: str = ""
    commune_code: str = ""
    sectors: frozenset[str] = field(default_factory=frozenset)
    granted_layers: frozenset[str] = field(default_factory=frozenset)
    user_id: int | None = None
    token_id: int | None = None  # the bearer token the request came with (None: session or anonymous)

    @property
    def is_anonymous(self) -> bool:
        return not self.role

    @classmethod
    def from_user(cls, user) -> Principal:
        """Build the principal of a Django user; users without an account or locked act as anonymous."""
        account = getattr(user, "account", None)
        if account is None or account.locked or not user.is_active:
            return ANONYMOUS
        return cls(
            username=user.username,
            role=account.role,
            commune_code=account.commune_code,
            sectors=frozenset(account.sectors),
            granted_layers=frozenset(account.granted_layers),
            user_id=user.pk,
        )


ANONYMOUS = Principal()
