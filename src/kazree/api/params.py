"""Path and query parameters of the /v1 routes, each bounded in length and shape.

An id that cannot be one (too long, a character no id has) is a 422 request error before any
lookup; an id of the right shape that names nothing is a 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from starlette.convertors import StringConvertor, register_url_convertor

from kazree.api.schemas import BIG, ID_MAX, ID_PATTERN, RECEIPT_ID_MAX, RECEIPT_ID_PATTERN


class ReceiptIdConvertor(StringConvertor):
    """A receipt id in a path, with the ``/<n>`` of parts split off in settlement.

    It matches ``R-1/2`` but not ``R-1/provenance``, so ``/v1/receipts/{receipt_id:receipt}``
    and ``/v1/receipts/{receipt_id:receipt}/provenance`` never take each other's paths.
    """

    regex = r"[A-Za-z0-9][A-Za-z0-9._:-]*(?:/[0-9]+)*"


register_url_convertor("receipt", ReceiptIdConvertor())

InstrumentId = Annotated[str, Path(pattern=ID_PATTERN, max_length=ID_MAX, examples=["NDPR-OX"])]
ParticipantId = Annotated[str, Path(pattern=ID_PATTERN, max_length=ID_MAX, examples=["trader-de"])]
ReceiptId = Annotated[
    str,
    Path(
        pattern=RECEIPT_ID_PATTERN,
        max_length=RECEIPT_ID_MAX,
        description="An issued receipt's id, or a part split off it in settlement (`<id>/<n>`)",
        examples=["R-NDPR-KZ-1", "R-NDPR-KZ-1/1"],
    ),
]
OrderId = Annotated[int, Path(ge=1, le=BIG, examples=[9])]
ParticipantFilter = Annotated[
    str | None,
    Query(
        pattern=ID_PATTERN,
        max_length=ID_MAX,
        description="Another participant's (admin, observer; operators for receipts)",
    ),
]
MAX_LIMIT = 10_000
"""The most items any list answers at once."""
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many")]
"""How many items a list answers (every list is bounded; each route sets its default)."""
InstrumentAfter = Annotated[
    str | None,
    Query(
        pattern=ID_PATTERN,
        max_length=ID_MAX,
        description="Only those after this instrument (the previous page's last)",
        examples=["NDPR-OX"],
    ),
]
"""The cursor of the lists by instrument: the last instrument of the previous page."""
