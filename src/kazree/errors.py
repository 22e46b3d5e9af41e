"""Errors a user can cause. The CLI and the API turn these into one clear message each."""

from __future__ import annotations


class KazreeError(Exception):
    """A problem with the user's input (file, field, value) that kazree can explain.

    The message names where the problem is and what is allowed; no traceback is shown for it.
    """
