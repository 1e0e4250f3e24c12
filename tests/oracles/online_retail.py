#!/usr/bin/env python3
"""Independent oracle for aov on UCI Online Retail (Python stdlib only).

Reads online_retail.csv.gz with csv + decimal and builds orders as ../shared/data/README.md
defines them: an order = an invoice not starting with C, keeping lines with Quantity > 0 and
UnitPrice > 0, value = sum(Quantity x UnitPrice), placed at the invoice's earliest
InvoiceDate. Prints JSON with

- the headline: orders, revenue, mean (rounded half up to pence) and the exact median
  (the mean of the two middle orders for an even count);
- monthly: per calendar month of the placed date, orders and the median in pence
  (statistics.median over the pence values);
- trend: over the monthly medians of the complete months (the last month is cut short by the
  data's end and left out), the Theil-Sen slope (median of pairwise slopes) and intercept
  (median of y - slope x, scipy's method='joint'), and Mann-Kendall S, its variance with the
  tie correction, and the two-sided p of the continuity-corrected normal approximation;
- tier (`aov suggest-tier` defaults): spend per CustomerID over the orders placed after
  (last order - 365 days); members = the top ceil(10%) of those customers, the line = the
  smallest member's spend, nearLine = non-members within 10% below it, and the members'
  share of the customers' spend.

Usage: python3 online_retail.py online_retail.csv.gz
"""
import json
import math
import statistics
import sys
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from uci_orders import read_orders

PENNY = Decimal("0.01")


def main():
    orders = read_orders(sys.argv[1])  # invoice -> [placed, value, customer]
    values = sorted(o[1] for o in orders.values())
    n = len(values)
    revenue = sum(values, Decimal(0))
    median = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2

    months = {}
    for placed, value, _ in orders.values():
        months.setdefault(placed.strftime("%Y-%m"), []).append(value * 100)
    monthly = [
        {"month": m, "orders": len(v), "medianMinor": float(statistics.median(sorted(v)))}
        for m, v in sorted(months.items())
    ]

    y = [m["medianMinor"] for m in monthly[:-1]]
    pairs = [(i, j) for i in range(len(y)) for j in range(i + 1, len(y))]
    slope = statistics.median((y[j] - y[i]) / (j - i) for i, j in pairs)
    intercept = statistics.median(v - slope * x for x, v in enumerate(y))
    s = sum((y[j] > y[i]) - (y[j] < y[i]) for i, j in pairs)
    n_y = len(y)
    ties = [y.count(v) for v in set(y)]
    variance = (n_y * (n_y - 1) * (2 * n_y + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties)) / 18
    z = (s - 1) / math.sqrt(variance) if s > 0 else (s + 1) / math.sqrt(variance) if s < 0 else 0.0
    trend = {"n": n_y, "slope": slope, "intercept": intercept, "s": s, "variance": variance, "p": math.erfc(abs(z) / math.sqrt(2))}

    last = max(o[0] for o in orders.values())
    since = last - timedelta(days=365)
    spend = {}
    for placed, value, customer in orders.values():
        if customer is not None and placed > since:
            spend[customer] = spend.get(customer, Decimal(0)) + value
    ranked = sorted(spend.values(), reverse=True)
    members = math.ceil(len(ranked) * 0.1)
    line = ranked[members - 1]
    near = sum(1 for s in ranked[members:] if s >= line * Decimal("0.9"))
    share = sum(ranked[:members], Decimal(0)) / sum(ranked, Decimal(0))

    print(json.dumps({
        "orders": n,
        "revenue": str(revenue.quantize(PENNY)),
        "mean": str((revenue / n).quantize(PENNY, rounding=ROUND_HALF_UP)),
        "median": str(median),
        "monthly": monthly,
        "trend": trend,
        "tier": {
            "customers": len(ranked),
            "members": members,
            "minSpend": str(line.quantize(PENNY)),
            "nearLine": near,
            "memberRevenueShare": round(float(share), 6),
        },
    }))


if __name__ == "__main__":
    main()
