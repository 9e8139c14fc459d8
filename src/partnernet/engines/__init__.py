"""Pure-Python engines: the product's brain.

Nothing under this package may import Django or ``partnernet.apps``; a test and an
import-linter contract enforce it. Engines take plain data and return plain data.
"""
