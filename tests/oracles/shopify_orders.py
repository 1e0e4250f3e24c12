#!/usr/bin/env python3
"""Independent oracle for `aov analyze` on a Shopify orders export (Python stdlib only).

Reads the export with csv + decimal, as README's definition of an order says for Shopify:
an order is a Name; its order-level fields (Subtotal, Financial Status, Cancelled at) are on
its first row. Orders are taken out in this order, each counted once under the first reason:
Financial Status == voided, then a non-empty Cancelled at, then Subtotal <= 0. The order
value is the Subtotal. Prints JSON: orders, revenue, mean and median (as decimal strings;
mean rounded half up to cents), the excluded orders per reason, and the customers (Email
tokens of counted orders' first rows) with one order and with two or more.

Usage: python3 shopify_orders.py shopify_orders_export.csv
"""
import csv
import json
import sys
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def main():
    first_rows = {}
    with open(sys.argv[1], encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"].strip()
            # Order-level fields only on an order's first row: later rows leave Subtotal empty.
            if name and name not in first_rows and row["Subtotal"].strip():
                first_rows[name] = row
    excluded = {"voided": 0, "cancelled": 0, "zeroValue": 0}
    values = []
    orders_by_email = {}
    for row in first_rows.values():
        if row["Financial Status"].strip() == "voided":
            excluded["voided"] += 1
        elif row["Cancelled at"].strip():
            excluded["cancelled"] += 1
        elif Decimal(row["Subtotal"]) <= 0:
            excluded["zeroValue"] += 1
        else:
            values.append(Decimal(row["Subtotal"]))
            email = row["Email"].strip()
            if email:
                orders_by_email[email] = orders_by_email.get(email, 0) + 1
    values.sort()
    n = len(values)
    revenue = sum(values, Decimal(0))
    middle = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
    print(json.dumps({
        "orders": n,
        "revenue": str(revenue.quantize(CENT)),
        "mean": str((revenue / n).quantize(CENT, rounding=ROUND_HALF_UP)),
        "median": str(middle.quantize(CENT, rounding=ROUND_HALF_UP)),
        "excludedOrders": excluded,
        "customers": {
            "all": len(orders_by_email),
            "oneOrder": sum(1 for k in orders_by_email.values() if k == 1),
            "twoOrMore": sum(1 for k in orders_by_email.values() if k >= 2),
        },
    }))


if __name__ == "__main__":
    main()
