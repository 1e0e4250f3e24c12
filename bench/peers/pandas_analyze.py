"""Peer for `aov analyze`: the headline figures of a Shopify export with pandas, as a
notebook would compute them: read the columns needed, group the rows by order (first
non-empty value per column, since order-level fields sit on the order's first row), keep
the counted orders (not voided, not cancelled, not a test order, Subtotal > 0).

    /usr/bin/python3 bench/peers/pandas_analyze.py orders.csv
"""
import json
import sys

import pandas as pd

columns = ["Name", "Financial Status", "Cancelled at", "Payment Method", "Subtotal"]
lines = pd.read_csv(
    sys.argv[1],
    usecols=columns,
    dtype={"Name": str, "Financial Status": str, "Cancelled at": str, "Payment Method": str, "Subtotal": float},
)
orders = lines.groupby("Name", sort=False).first()
counted = (
    ~orders["Financial Status"].str.lower().isin(["voided", "test"])
    & orders["Cancelled at"].isna()
    & (orders["Payment Method"].str.lower() != "bogus")
    & (orders["Subtotal"] > 0)
)
values = orders.loc[counted, "Subtotal"]
print(json.dumps({
    "orders": int(values.size),
    "revenue": round(float(values.sum()), 2),
    "mean": round(float(values.mean()), 2),
    "median": round(float(values.median()), 2),
}))
