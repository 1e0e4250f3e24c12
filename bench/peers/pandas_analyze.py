"""Peer for `aov analyze`: the headline figures of a Shopify export with pandas, as a
notebook would compute them: read the CSV, group the rows by order (first non-empty value
per column, since order-level fields sit on the order's first row), keep the counted
orders (not voided, not cancelled, not a test order, Subtotal > 0).

By default only the five columns needed are read (a careful notebook); --all-columns reads
and groups all 79, as `pd.read_csv(path).groupby("Name").first()` does.

    /usr/bin/python3 bench/peers/pandas_analyze.py orders.csv [--all-columns]
"""
import json
import sys

import pandas as pd

columns = ["Name", "Financial Status", "Cancelled at", "Payment Method", "Subtotal"]
dtypes = {"Name": str, "Financial Status": str, "Cancelled at": str, "Payment Method": str, "Subtotal": float}
if "--all-columns" in sys.argv[2:]:
    lines = pd.read_csv(sys.argv[1], dtype=dtypes, low_memory=False)
else:
    lines = pd.read_csv(sys.argv[1], usecols=columns, dtype=dtypes)
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
