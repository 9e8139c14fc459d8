"""``partnernet legal-status``: the same command as ``legal_status`` under its documented name."""

from partnernet.cli.management.commands.legal_status import Command

__all__ = ["Command"]
