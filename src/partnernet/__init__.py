"""partnernet: one clean register of IT partner companies, and the tools around it."""

__version__ = "0.1.0"
