"""Orders service: creates orders and reserves stock in the inventory service."""

import logging
import os
import threading
import uuid
from collections import deque
from datetime import datetime, timezone

import requests
from flask import Flask, jsonify, request

logging.basicConfig(
    level=os.environ.get("LOG_LEVEL", "INFO"),
    format="%(asctime)s %(levelname)s %(name)s %(message)s",
)
log = logging.getLogger("orders")

INVENTORY_URL = os.environ.get("INVENTORY_URL", "http://127.0.0.1:8081").rstrip("/")
INVENTORY_TIMEOUT = float(os.environ.get("INVENTORY_TIMEOUT", "5"))
PRICES = {"widget": 9.99, "gadget": 24.50, "gizmo": 3.75}

app = Flask(__name__)

_recent = deque(maxlen=20)
_recent_lock = threading.Lock()
_http = requests.Session()


class PaymentProviderError(RuntimeError):
    """Raised when the (pretend) payment provider rejects a charge."""


def charge_card(order_id, amount):
    # The sandbox payment provider is permanently down in this demo.
    raise PaymentProviderError(
        f"payment provider declined charge for order {order_id}: "
        f"503 Service Unavailable (amount={amount:.2f})"
    )


@app.get("/health")
def health():
    return jsonify(status="ok", service="orders")


@app.post("/orders")
def create_order():
    payload = request.get_json(silent=True) or {}
    sku = payload.get("sku")
    try:
        qty = int(payload.get("qty", 1))
    except (TypeError, ValueError):
        qty = 0
    if not sku or qty < 1:
        return jsonify(error="body must be JSON {sku, qty>=1}"), 400

    try:
        resp = _http.post(
            f"{INVENTORY_URL}/reserve",
            json={"sku": sku, "qty": qty},
            timeout=INVENTORY_TIMEOUT,
        )
    except requests.RequestException as exc:
        log.error("inventory unreachable: %s", exc)
        return jsonify(error="inventory unavailable"), 503

    if resp.status_code in (404, 409):
        log.info("reservation refused for sku=%s qty=%d: %s", sku, qty, resp.status_code)
        return jsonify(error="reservation refused", inventory=resp.json()), resp.status_code
    if not resp.ok:
        log.error("inventory returned %s for sku=%s", resp.status_code, sku)
        return jsonify(error="inventory error"), 502

    reservation = resp.json()
    order = {
        "id": uuid.uuid4().hex[:12],
        "sku": sku,
        "qty": qty,
        "total": round(PRICES.get(sku, 1.0) * qty, 2),
        "reservation": reservation,
        "created_at": datetime.now(timezone.utc).isoformat(),
    }
    with _recent_lock:
        _recent.appendleft(order)
    log.info("order %s created: sku=%s qty=%d", order["id"], sku, qty)
    return jsonify(order), 201


@app.get("/orders/recent")
def recent_orders():
    with _recent_lock:
        orders = list(_recent)
    return jsonify(orders=orders)


@app.get("/orders/fail")
def failing_order():
    order_id = uuid.uuid4().hex[:12]
    log.info("charging card for order %s", order_id)
    charge_card(order_id, 42.0)  # raises; Flask turns it into a 500
    return jsonify(id=order_id)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", 5001)))
