"""Export-control rule types in words, in the current language (shared by the CLI and report)."""

from __future__ import annotations

from kazree.i18n import _


def kind_text(kind: str) -> str:
    """The rule type (``RuleKind`` value) in words."""
    return {
        "licence": _("licence"),
        "ban": _("ban"),
        "technology": _("technology"),
        "quota": _("quota"),
        "disruption": _("disruption"),
        "suspension": _("suspension"),
    }[kind]
