"""Shared by the policy tests: the sample market with a control on Chinese-origin NdPr oxide.

In the sample market odd traders (t01, t03, in KZ) hold Kazakh NdPr oxide and even traders
(t02, t04, in DE) hold NdPr oxide mined in China.
"""

from __future__ import annotations

from engine_support import T0, market

from kazree.exchange.core.commands import SetExportControls
from kazree.exchange.core.domain import ExportControl
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.events import Accepted

ACT = "Export Control Act 1 (test)"
CONTROL = ExportControl("cn_ndpr", ACT, "CN", ("ndpr_oxide",), "2026-01-01")


def controlled_market(*controls: ExportControl) -> Exchange:
    """The sample market (4 traders) with ``controls`` (default: :data:`CONTROL`) enforced."""
    ex = market()
    events = ex.apply(SetExportControls(T0, controls or (CONTROL,)))
    assert isinstance(events[0], Accepted), events
    return ex
