"""Signals other apps listen to (they hold copies of contacts' data)."""

from django.dispatch import Signal

# Sent by ``person_erase`` before the person is deleted, with ``person_id`` and ``addresses``:
# apps that keep copies of the person's data (a mailing's deliveries) must blank them.
person_erased = Signal()
