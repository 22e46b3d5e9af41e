"""WebSocket market data: a snapshot with a seq, then consecutive deltas; bad frames, revoked
keys and clients that stop reading."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from api_support import Market, install_keys, served
from starlette.websockets import WebSocketDisconnect
from websockets.sync.client import connect

from kazree.api.app import create_app
from kazree.venue.settings import Settings


def test_book_and_trade_streams(market: Market) -> None:
    with market.client.websocket_connect("/v1/ws", headers=market.headers("observer")) as ws:
        ws.send_json({"op": "subscribe", "channel": "book", "instrument": "NDPR-OX"})
        snap = ws.receive_json()
        assert snap["type"] == "snapshot"
        assert snap["bids"] == [[5_950, 10], [5_900, 5]]
        assert snap["asks"] == [[6_050, 10], [6_100, 8]]
        ws.send_json({"op": "subscribe", "channel": "trades", "instrument": "NDPR-OX"})
        trades_snap = ws.receive_json()
        assert (trades_snap["channel"], trades_snap["trades"]) == ("trades", [])
        seq = snap["seq"]
        for n, (price, lots) in enumerate([(5_960, 2), (6_050, 4)]):
            r = market.client.post(
                "/v1/orders",
                headers=market.headers("trader"),
                json={
                    "client_order_id": f"ws-{n}",
                    "instrument": "NDPR-OX",
                    "side": "buy",
                    "quantity_lots": lots,
                    "price_ticks": price,
                },
            )
            assert r.status_code == 201
        first = ws.receive_json()
        assert (first["seq"], first["bids"], first["asks"]) == (seq + 1, [[5_960, 2]], [])
        second = ws.receive_json()
        assert second["channel"] == "book"
        assert (second["seq"], second["asks"]) == (seq + 2, [[6_050, 6]])
        trade = ws.receive_json()
        assert trade["channel"] == "trades"
        assert trade["seq"] == trades_snap["seq"] + 1
        assert [(t["price_ticks"], t["quantity_lots"]) for t in trade["trades"]] == [(6_050, 4)]


def test_bad_messages_get_errors(market: Market) -> None:
    with market.client.websocket_connect("/v1/ws", headers=market.headers("trader")) as ws:
        ws.send_text("not json")
        assert ws.receive_json()["code"] == "marketdata.bad_request"
        ws.send_json({"op": "subscribe", "channel": "book", "instrument": "NOPE"})
        err = ws.receive_json()
        assert "NOPE" in err["detail"]
        ws.send_json({"op": "subscribe", "channel": "quotes", "instrument": "DY-OX"})
        assert "book, trades" in ws.receive_json()["detail"]


def test_a_binary_or_oversized_frame_is_answered_and_the_socket_stays_open(
    sqlite_market: Market,
) -> None:
    market = sqlite_market
    with market.client.websocket_connect("/v1/ws", headers=market.headers("trader")) as ws:
        ws.send_bytes(b'{"op": "subscribe", "channel": "book", "instrument": "NDPR-OX"}')
        error = ws.receive_json()
        assert (error["code"], error["detail"]) == (
            "marketdata.bad_request",
            "send JSON in text frames, not binary",
        )
        ws.send_text("x" * 5_000)
        assert ws.receive_json()["detail"] == "message of 5000 characters: at most 1024"
        ws.send_json({"op": "subscribe", "channel": "book", "instrument": "NDPR-OX"})
        assert ws.receive_json()["type"] == "snapshot"


def test_a_revoked_key_closes_its_open_socket(market: Market) -> None:
    store = market.service.store
    key = store.issue_key("trader-de")
    with market.client.websocket_connect("/v1/ws", params={"key": key}) as ws:
        ws.send_json({"op": "subscribe", "channel": "book", "instrument": "NDPR-OX"})
        assert ws.receive_json()["type"] == "snapshot"
        store.revoke_key(key.split("_")[1])
        error = ws.receive_json()  # within about a second
        assert (error["code"], error["detail"]) == (
            "auth.unauthenticated",
            "API key revoked or no longer valid",
        )
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4401
    assert market.service.sequencer.market.subscribers() == 0


def test_a_client_that_stops_reading_is_closed_and_forgotten(tmp_path: Path) -> None:
    """Thousands of subscribes from a client that reads nothing: the server's buffer for it is
    bounded, the slow-consumer close fires although sends to it are stuck, and nothing of the
    socket is left behind."""
    url = f"sqlite:///{tmp_path / 'exchange.db'}"
    keys = install_keys(url)
    app = create_app(Settings(db_url=url, ws_queue_bytes=64 * 1024))
    with served(app) as base:
        market = app.state.service.sequencer.market
        ws_url = base.replace("http", "ws") + "/v1/ws?key=" + keys["trader"]
        subscribe = json.dumps({"op": "subscribe", "channel": "book", "instrument": "NDPR-OX"})
        with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1]))) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # fill up quickly
            with connect(ws_url, sock=sock, max_queue=1, close_timeout=1) as ws:
                for _ in range(12_000):  # reading nothing
                    ws.send(subscribe)
                deadline = time.monotonic() + 10
                while market.subscribers() and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert market.subscribers() == 0
