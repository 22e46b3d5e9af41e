"""WebSocket market data: a snapshot with a seq, then consecutive deltas."""

from __future__ import annotations

from api_support import Market


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
