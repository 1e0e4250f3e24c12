#!/usr/bin/env python3
"""Independent oracle for the formats tests on shared data (Python stdlib only).

Prints JSON with
- superstore: distinct Order IDs, sum(Sales) exactly (decimal), and the sum of the per-order
  sums each rounded half up to cents (how aov keeps an order's value in minor units);
- instacart: item lines, lines whose order_id is in orders.csv and those without, orders
  without any item line, baskets (orders with a joined line), distinct products in them,
  and joined lines whose product_id is missing from products.csv.

Usage: python3 formats.py ../shared/data
"""
import csv
import json
import os
import sys
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def superstore(path):
    per_order = {}
    total = Decimal(0)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            sales = Decimal(row["Sales"])
            total += sales
            per_order[row["Order ID"]] = per_order.get(row["Order ID"], Decimal(0)) + sales
    rounded = sum((v.quantize(CENT, rounding=ROUND_HALF_UP) for v in per_order.values()), Decimal(0))
    return {"orders": len(per_order), "sales": str(total), "roundedOrderSum": str(rounded)}


def read(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def instacart(folder):
    orders = {row["order_id"] for row in read(os.path.join(folder, "orders.csv"))}
    products = {row["product_id"] for row in read(os.path.join(folder, "products.csv"))}
    lines = read(os.path.join(folder, "order_products__prior.csv"))
    joined = [row for row in lines if row["order_id"] in orders]
    baskets = {row["order_id"] for row in joined}
    return {
        "itemLines": len(lines),
        "joinedLines": len(joined),
        "itemsWithoutOrder": len(lines) - len(joined),
        "ordersWithoutItems": len(orders - baskets),
        "baskets": len(baskets),
        "products": len({row["product_id"] for row in joined}),
        "itemsWithoutProduct": sum(1 for row in joined if row["product_id"] not in products),
    }


def main():
    data = sys.argv[1]
    print(json.dumps({
        "superstore": superstore(os.path.join(data, "superstore.csv")),
        "instacart": instacart(os.path.join(data, "instacart_sample")),
    }))


if __name__ == "__main__":
    main()
