"""Trading and oversight in the dashboard, in headless Chromium, on a fresh demo market.

A trader fills an order and sees the fill, the position and the P&L change; prices are entered
in US$/kg; a regulator sees the owners of trades and the refusals. The API docs load offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from test_dashboard_browser import shot, wait_for
from web_support import axe_violations, describe

pytestmark = pytest.mark.browser


def api_order(base: str, key: str, side: str, lots: int, price_ticks: int) -> httpx.Response:
    """An order on DY-OX placed over HTTP, as another participant would."""
    return httpx.post(
        f"{base}/v1/orders",
        headers={"Authorization": f"Bearer {key}"},
        json={
            "client_order_id": f"api-{side}-{price_ticks}-{lots}",
            "instrument": "DY-OX",
            "side": side,
            "quantity_lots": lots,
            "price_ticks": price_ticks,
        },
    )


def connect(driver: Any, base: str, key: str, who: str) -> None:
    driver.get(base + "/")
    driver.find_element(By.ID, "tab-exchange").click()
    driver.find_element(By.ID, "api-key").send_keys(key)
    driver.find_element(By.CSS_SELECTOR, "#key-form button").click()
    wait_for(driver, lambda d: who in d.find_element(By.ID, "who").text)


ROWS = """
return [...document.querySelectorAll(arguments[0])].map(
  r => [...r.querySelectorAll('th, td')].map(c => c.innerText.trim()));
"""


def rows(driver: Any, selector: str) -> list[list[str]]:
    """The cell texts of every row matching ``selector``, read at one moment (the page
    redraws its tables as the market moves)."""
    found: list[list[str]] = driver.execute_script(ROWS, selector)
    return found


def row_when(driver: Any, selector: str, check: Any = bool, timeout: float = 15) -> list[str]:
    """The first row matching ``selector`` once ``check(row)`` holds."""

    def ready(d: Any) -> list[str] | bool:
        found = rows(d, selector)
        return found[0] if found and check(found[0]) else False

    try:
        return list(wait_for(driver, ready, timeout=timeout))
    except Exception:
        pytest.fail(f"{selector}: {rows(driver, selector)} never passed the check")


def press(driver: Any, selector: str, by: str = By.CSS_SELECTOR) -> None:
    """Click the element, finding it again if the page redrew it meanwhile."""

    def clicked(d: Any) -> bool:
        d.find_element(by, selector).click()
        return True

    wait_for(driver, clicked)


def submit(driver: Any) -> str:
    before = driver.find_element(By.ID, "order-result").text
    driver.find_element(By.CSS_SELECTOR, "#order-form button[type=submit]").click()
    return str(
        wait_for(
            driver,
            lambda d: ((t := d.find_element(By.ID, "order-result").text) != before and t) or False,
        )
    )


def type_into(driver: Any, field: str, text: str) -> None:
    box = driver.find_element(By.ID, field)
    box.clear()
    box.send_keys(text)


def position(driver: Any, expected: list[str]) -> None:
    """Wait for the DY-OX position row to read ``expected``."""
    row_when(driver, '#positions tbody tr[data-instrument="DY-OX"]', lambda r: r == expected)


def test_trader_fills_an_order_and_sees_fill_position_and_pnl(
    browser: Any, live: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, keys = live
    connect(browser, base, keys["trader-de"], "trader-de")
    browser.find_element(
        By.CSS_SELECTOR, '#instrument-table button[data-instrument="DY-OX"]'
    ).click()
    wait_for(browser, lambda d: d.find_element(By.ID, "book-instrument").text == "DY-OX")
    spread = wait_for(
        browser, lambda d: "mid" in (t := d.find_element(By.ID, "book-spread").text) and t
    )
    assert spread == "Spread 5.00 USD/kg (500 ticks) · mid 250.50 USD/kg"  # 248.00 / 253.00

    assert row_when(browser, "#asks tbody tr") == ["253.00", "10", "10", ""]
    press(browser, "#asks button.price")  # the ask's price fills the form: a buy at 253.00
    assert Select(browser.find_element(By.ID, "order-side")).first_selected_option.text == "buy"
    assert browser.find_element(By.ID, "order-price").get_attribute("value") == "253.00"
    type_into(browser, "order-lots", "2")
    assert browser.find_element(By.ID, "order-kg").text.startswith("2 lots = 20 kg")
    confirmation = submit(browser)
    assert confirmation.endswith(
        "filled: bought 2 lots (20 kg) of DY-OX, average price 253.00 USD/kg."
    )
    order_id = confirmation.split()[1]
    fill = row_when(browser, "#fills tbody tr[data-trade]")
    assert fill[1:] == [
        order_id,
        "DY-OX",
        "buy",
        "USD 253.00",
        "2",
        "5.06",  # 10 bp of USD 5,060.00
        "taker",
    ]
    position(
        browser,
        ["DY-OX", "2", "20", "USD 253.00", "USD 0.00", "USD -60.00", "USD 5.06"],
    )  # marked at the 250.00 reference
    assert row_when(browser, f'#history tr[data-order="{order_id}"]')[-2:] == ["2 / 2", "filled"]

    # a price that is not a whole tick is refused, naming the nearest ones
    Select(browser.find_element(By.ID, "order-side")).select_by_value("sell")
    type_into(browser, "order-lots", "1")
    type_into(browser, "order-price", "252.005")
    browser.find_element(By.CSS_SELECTOR, "#order-form button[type=submit]").click()
    error = wait_for(browser, lambda d: d.find_element(By.ID, "exchange-error").text or False)
    assert "252.005: not a whole number of ticks of 0.01 USD/kg" in error
    assert "(nearest: 252.00 or 252.01)" in error

    # sell 1 lot in US$/kg, delivering the receipt just bought: it rests, highlighted as mine
    receipt = wait_for(
        browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#order-receipt-choices input")
    )
    assert receipt[0].get_attribute("value").startswith("R-DY-KZ-1/")
    press(browser, "#order-receipt-choices input")
    type_into(browser, "order-price", "252.00")
    confirmation = submit(browser)
    assert confirmation.endswith(
        "resting: sell 1 lots (10 kg) of DY-OX at 252.00 USD/kg; nothing filled yet."
    )
    sell_id = confirmation.split()[1]
    mine = row_when(browser, '#asks tr.own[data-price="25200"]')
    assert mine == ["252.00", "1", "1", "1"]  # the best ask now, and all mine

    # change it to 252.50, then another trader buys it: the P&L is realised
    press(browser, f"//button[text()='Change order {sell_id}']", By.XPATH)
    type_into(browser, "replace-price", "252.50")
    browser.find_element(By.CSS_SELECTOR, "#replace-form button[type=submit]").click()
    wait_for(
        browser,
        lambda d: d.find_element(By.ID, "order-result").text.endswith(
            "resting: sell 1 lots (10 kg) of DY-OX at 252.50 USD/kg; nothing filled yet."
        ),
    )
    bought = api_order(base, keys["trader-us"], "buy", 1, 25_250)
    assert bought.status_code == 201, bought.text
    position(
        browser,
        ["DY-OX", "1", "10", "USD 253.00", "USD -5.00", "USD -30.00", "USD 6.33"],
    )  # sold 10 kg at 252.50 bought at 253.00; maker fee 5 bp of USD 2,525.00, rounded up: 1.27
    assert row_when(browser, f'#history tr[data-order="{sell_id}"]')[-2:] == ["1 / 1", "filled"]
    shot(browser, tmp_path, "trader")
    violations = axe_violations(browser)
    assert not violations, describe(violations)


def test_regulator_sees_owners_refusals_and_audit(
    browser: Any, live: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, keys = live
    traded = api_order(base, keys["trader-jp"], "buy", 1, 25_300)
    assert traded.status_code == 201, traded.text
    trade = next(e for e in traded.json()["events"] if e["type"] == "trade")
    refused = api_order(base, keys["trader-jp"], "buy", 1, 40_000)  # outside the price band
    assert refused.status_code == 422, refused.text
    barred = httpx.post(  # the magnet market is open to KZ, DE, JP and US participants only
        f"{base}/v1/orders",
        headers={"Authorization": f"Bearer {keys['trader-cn']}"},
        json={
            "client_order_id": "cn-magnets",
            "instrument": "NDFEB-N52",
            "side": "buy",
            "quantity_lots": 1,
            "price_per_kg": "80.00",
        },
    )
    assert (barred.status_code, barred.json()["code"]) == (403, "policy.jurisdiction")

    connect(browser, base, keys["regulator"], "regulator")
    assert not browser.find_element(By.ID, "trading").is_displayed()  # observers never trade
    row = row_when(browser, f'#oversight-trades tr[data-trade="{trade["trade_id"]}"]')
    assert row[2:] == [
        "DY-OX",
        "253.00",
        "1",
        "trader-jp",
        "trader-kz",
        f"{trade['buy_order_id']} / {trade['sell_order_id']}",
    ]
    texts = row_when(browser, '#oversight-refusals tr[data-code="risk.outside_price_band"]')
    assert texts[1:4] == ["trader-jp", "place_order DY-OX", "risk.outside_price_band"]
    assert texts[4] == refused.json()["detail"]
    policy = row_when(browser, '#oversight-refusals tr[data-code="policy.jurisdiction"]')
    assert policy[1:4] == ["trader-cn", "place_order NDFEB-N52", "policy.jurisdiction"]
    assert policy[4] == barred.json()["detail"]
    audit = rows(browser, "#oversight-audit tbody tr[data-audit]")
    assert "install_demo" in [r[2] for r in audit]
    owners = {r[1] for r in rows(browser, "#history tbody tr[data-order]")}
    assert {"trader-jp", "trader-kz", "trader-de"} <= owners  # every participant's orders
    shot(browser, tmp_path, "regulator")
    violations = axe_violations(browser)
    assert not violations, describe(violations)


def test_api_docs_work_offline(browser: Any, live: tuple[str, dict[str, str]]) -> None:
    base, _ = live
    browser.get(base + "/docs")
    operations = wait_for(
        browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock-summary-path")
    )
    paths = {o.get_attribute("data-path") for o in operations}
    assert {"/v1/orders", "/v1/fills", "/v1/positions", "/v1/oversight/refusals"} <= paths
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name);"
    )
    assert any(u.endswith("/web/vendor/swagger-ui-bundle.js") for u in loaded)
    assert [u for u in loaded if not u.startswith(base + "/")] == []  # nothing from elsewhere
