"""Commissions and case conferences for complex situations: sessions, agenda, anonymous or nominative cases,
decisions that become tasks, minutes (issue 12). Sits above `alerts` in the layers (docs/architecture.md)."""
