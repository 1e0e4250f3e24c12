"""Peer for `aov bundles` on UCI Online Retail: mlxtend's FP-growth over the invoices, a
notebook's whole run (read the CSV, build the baskets, one-hot encode, mine). Baskets
follow aov's order rules: invoices not starting with C, Quantity > 0, UnitPrice > 0.
Reference (../shared/data/README.md): 19,960 baskets; at min support 0.01, 815 / 917 /
269 / 24 itemsets of sizes 1-4.

    /usr/bin/python3 bench/peers/mlxtend_fpgrowth.py online_retail.csv.gz [min_support] [max_len]
"""
import json
import sys

import pandas as pd
from mlxtend.frequent_patterns import fpgrowth
from mlxtend.preprocessing import TransactionEncoder

path = sys.argv[1]
min_support = float(sys.argv[2]) if len(sys.argv) > 2 else 0.01
max_len = int(sys.argv[3]) if len(sys.argv) > 3 else 4

lines = pd.read_csv(
    path,
    usecols=["InvoiceNo", "StockCode", "Quantity", "UnitPrice"],
    dtype={"InvoiceNo": str, "StockCode": str},
    encoding="latin-1",
)
kept = lines[~lines["InvoiceNo"].str.startswith("C") & (lines["Quantity"] > 0) & (lines["UnitPrice"] > 0)]
baskets = kept.groupby("InvoiceNo")["StockCode"].apply(lambda items: sorted(set(items))).tolist()
encoder = TransactionEncoder()
onehot = pd.DataFrame(encoder.fit(baskets).transform(baskets), columns=encoder.columns_)
itemsets = fpgrowth(onehot, min_support=min_support, max_len=max_len, use_colnames=True)
sizes = itemsets["itemsets"].apply(len).value_counts().sort_index()
print(json.dumps({
    "baskets": len(baskets),
    "itemsets": int(len(itemsets)),
    "bySize": {str(size): int(count) for size, count in sizes.items()},
}))
