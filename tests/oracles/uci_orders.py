"""UCI Online Retail's counted orders, read with Python's csv and decimal modules only: the
shared reader of the oracles online_retail.py and second_order.py (README's definition:
invoices starting with C are cancellations; lines with a non-positive quantity or price do
not add to an order; an order's date is its earliest line's; its value the exact sum of
quantity x unit price)."""
import csv
import gzip
import io
from datetime import datetime
from decimal import Decimal


def parse_date(text):
    # The UCI file writes dates as m/d/yyyy h:mm (some copies as yyyy-mm-dd hh:mm:ss).
    for layout in ("%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(text.strip(), layout)
        except ValueError:
            pass
    raise ValueError(f"unreadable date {text!r}")


def read_orders(path):
    """invoice -> [placed, value (Decimal), customer or None], from the gzip file at path."""
    orders = {}
    with gzip.open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
        for row in csv.DictReader(text):
            invoice = row["InvoiceNo"].strip()
            if invoice.startswith("C"):
                continue
            quantity = Decimal(row["Quantity"])
            price = Decimal(row["UnitPrice"])
            if quantity <= 0 or price <= 0:
                continue
            placed = parse_date(row["InvoiceDate"])
            customer = row["CustomerID"].strip() or None
            entry = orders.get(invoice)
            if entry is None:
                orders[invoice] = [placed, quantity * price, customer]
            else:
                entry[0] = min(entry[0], placed)
                entry[1] += quantity * price
                entry[2] = entry[2] or customer
    return orders
