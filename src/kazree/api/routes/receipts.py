"""Warehouse receipts: operators issue and withdraw them; owners see theirs; anyone verifies."""

from __future__ import annotations

from fastapi import APIRouter, status

from kazree.api.deps import Operator, Principal, PrincipalDep, ServiceDep
from kazree.api.outcomes import ack, execute
from kazree.api.params import Limit, ParticipantFilter, ReceiptId  # registers {...:receipt}
from kazree.api.problems import PROBLEM_RESPONSES, ApiProblem
from kazree.api.schemas import (
    Ack,
    ProvenanceOut,
    ReceiptIn,
    ReceiptOut,
    StepIn,
    StepOut,
)
from kazree.exchange.core.commands import IssueReceipt, WithdrawReceipt
from kazree.exchange.core.domain import Assay, ProvenanceStep, Role
from kazree.exchange.core.provenance import build_chain, origin_countries, verify_provenance
from kazree.exchange.core.views import ReceiptView
from kazree.venue.service import Service

router = APIRouter(prefix="/v1/receipts", tags=["receipts"], responses=PROBLEM_RESPONSES)


def receipt_out(r: ReceiptView) -> ReceiptOut:
    """The API form of a receipt."""
    return ReceiptOut.model_validate(r)


def _chain(steps: list[StepIn]) -> tuple[ProvenanceStep, ...]:
    """The chain as given (hashes checked by the engine), or built when no hash is given."""
    if all(s.hash is None and s.prev_hash is None for s in steps):
        return build_chain((s.stage, s.country, s.facility, s.date, s.certifier) for s in steps)
    missing = [i for i, s in enumerate(steps) if s.hash is None or s.prev_hash is None]
    if missing:
        raise ApiProblem(
            422,
            "request.invalid",
            f"body.provenance[{missing[0]}]: give prev_hash and hash on every step, or on none",
        )
    return tuple(
        ProvenanceStep(
            s.stage, s.country, s.facility, s.date, s.certifier, s.prev_hash or "", s.hash or ""
        )
        for s in steps
    )


async def _known(service: Service, receipt_id: str) -> ReceiptView:
    """The receipt ``receipt_id``; a 404 problem if the exchange holds none."""
    async with service.sequencer.reading() as engine:
        view = engine.receipt(receipt_id)
    if view is None:
        raise ApiProblem(404, "validation.unknown_receipt", f"unknown receipt {receipt_id!r}")
    return view


async def _visible(service: Service, principal: Principal, receipt_id: str) -> ReceiptView:
    view = await _known(service, receipt_id)
    if view.owner != principal.participant and not principal.can(
        Role.ADMIN, Role.OBSERVER, Role.WAREHOUSE_OPERATOR
    ):
        raise ApiProblem(
            403, "auth.not_owner", f"receipt {receipt_id!r} belongs to another participant"
        )
    return view


@router.get("", operation_id="list_receipts")
async def list_receipts(
    service: ServiceDep,
    principal: PrincipalDep,
    owner: ParticipantFilter = None,
    limit: Limit = 1_000,
) -> list[ReceiptOut]:
    """My receipts (the first ``limit``, grouped by grade in the order acquired); admins,
    observers and warehouse operators may name an owner."""
    target = owner or principal.participant
    if target != principal.participant and not principal.can(
        Role.ADMIN, Role.OBSERVER, Role.WAREHOUSE_OPERATOR
    ):
        raise ApiProblem(403, "auth.not_owner", "you may list only your own receipts")
    async with service.sequencer.reading() as engine:
        views = engine.receipts(target)[:limit]
    return [receipt_out(v) for v in views]


@router.post("", status_code=status.HTTP_201_CREATED, operation_id="issue_receipt")
async def issue_receipt(service: ServiceDep, principal: Operator, body: ReceiptIn) -> Ack:
    """Issue a receipt for goods in my warehouse, with assay and chain of custody."""
    command = IssueReceipt(
        ts=0,
        operator=principal.participant,
        receipt_id=body.receipt_id,
        owner=body.owner,
        warehouse=body.warehouse,
        product=body.product,
        quantity_kg=body.quantity_kg,
        assay=Assay(body.assay.certificate_id, body.assay.laboratory, body.assay.purity_bp),
        provenance=_chain(body.provenance),
        export_licence=body.export_licence or None,
    )
    return ack(service, await execute(service, command))


@router.get("/{receipt_id:receipt}/provenance", operation_id="verify_receipt_provenance")
async def verify_receipt_provenance(
    service: ServiceDep, _: PrincipalDep, receipt_id: ReceiptId
) -> ProvenanceOut:
    """A receipt's chain of custody and whether its hash links hold (for any buyer)."""
    view = await _known(service, receipt_id)
    chain = view.provenance
    problem = verify_provenance(chain)
    return ProvenanceOut(
        receipt_id=receipt_id,
        valid=problem is None,
        problem=problem,
        origins=sorted(origin_countries(chain)),
        steps=[StepOut.model_validate(s) for s in chain],
    )


@router.get("/{receipt_id:receipt}", operation_id="get_receipt")
async def get_receipt(
    service: ServiceDep, principal: PrincipalDep, receipt_id: ReceiptId
) -> ReceiptOut:
    """One receipt (its owner's, or for admins, observers and warehouse operators)."""
    return receipt_out(await _visible(service, principal, receipt_id))


@router.delete("/{receipt_id:receipt}", operation_id="withdraw_receipt")
async def withdraw_receipt(service: ServiceDep, principal: Operator, receipt_id: ReceiptId) -> Ack:
    """Release the goods of an unlocked receipt: it leaves the exchange."""
    await _known(service, receipt_id)
    command = WithdrawReceipt(ts=0, operator=principal.participant, receipt_id=receipt_id)
    return ack(service, await execute(service, command))
