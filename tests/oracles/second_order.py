#!/usr/bin/env python3
"""Independent oracle for `aov suggest-second-order` on UCI Online Retail (Python stdlib only).

Reads online_retail.csv.gz with csv + decimal, builds orders as in ../shared/data/README.md
(an order = an invoice not starting with C, lines with Quantity > 0 and UnitPrice > 0,
value = sum(Quantity x UnitPrice), placed at the invoice's earliest InvoiceDate), and prints
JSON with the figures the gift rule rests on:

- guest orders: counted orders without a CustomerID;
- customers, and the cohort of new customers: first order after the burn-in
  (first > data start + burnInDays);
- second-order AOV: the mean value of second orders placed within validDays of the first
  (all customers, and the cohort), beside the AOV of all second orders;
- base rate: cohort customers whose first order is at least validDays before the data end,
  and the share of them with a second order within validDays;
- break-even lift G / (m A - G) on the cohort's A, with a 90% delta-method interval
  (a check on aov's bootstrap that shares no code or random numbers with it);
- eligible now: cohort customers whose first order is within the last validDays of data and who
  have no second order yet.

Usage: python3 second_order.py online_retail.csv.gz [validDays=90] [burnInDays=validDays] [giftCost=5] [margin=0.4]
"""
import json
import sys
from datetime import timedelta

from uci_orders import read_orders

DAY = timedelta(days=1)


def main():
    path = sys.argv[1]
    valid_days = int(sys.argv[2]) if len(sys.argv) > 2 else 90
    burn_in_days = int(sys.argv[3]) if len(sys.argv) > 3 else valid_days
    orders = read_orders(path)  # invoice -> [placed, value, customer]
    ordered = sorted(orders.items(), key=lambda kv: (kv[1][0], kv[0]))
    start = ordered[0][1][0]
    end = ordered[-1][1][0]
    guest_orders = sum(1 for _, o in ordered if o[2] is None)
    history = {}  # customer -> [(placed, value), ...] in time order
    for _, (placed, value, customer) in ordered:
        if customer is not None:
            history.setdefault(customer, []).append((placed, value))
    window = valid_days * DAY
    burn_in_end = start + burn_in_days * DAY

    def second_within(h):
        return len(h) > 1 and h[1][0] - h[0][0] <= window

    all_second = [h[1][1] for h in history.values() if len(h) > 1]
    within_all = [h[1][1] for h in history.values() if second_within(h)]
    cohort = {c: h for c, h in history.items() if h[0][0] > burn_in_end}
    within_cohort = [h[1][1] for h in cohort.values() if second_within(h)]
    rate_eligible = [h for h in cohort.values() if h[0][0] + window <= end]
    rate_returned = [h for h in rate_eligible if second_within(h)]
    eligible_now = sum(1 for h in cohort.values() if len(h) == 1 and h[0][0] > end - window)
    one_order = sum(1 for h in history.values() if len(h) == 1)
    first_month = sum(1 for h in history.values() if h[0][0] < start + 30 * DAY)
    mean = lambda xs: float(sum(xs) / len(xs)) if xs else None
    # Break-even lift L* = G / (m A - G) with its 90% delta-method interval (no resampling):
    # se(L*) = G m se(A) / (m A - G)^2, se(A) = sd / sqrt(k) over the k cohort second orders.
    gift, margin = float(sys.argv[4]) if len(sys.argv) > 4 else 5.0, float(sys.argv[5]) if len(sys.argv) > 5 else 0.4
    values = [float(v) for v in within_cohort]
    k = len(values)
    a = sum(values) / k
    sd = (sum((v - a) ** 2 for v in values) / (k - 1)) ** 0.5
    l_star = gift / (margin * a - gift)
    se_l = gift * margin * (sd / k ** 0.5) / (margin * a - gift) ** 2
    print(json.dumps({
        "orders": len(ordered),
        "guestOrders": guest_orders,
        "start": start.isoformat(), "end": end.isoformat(),
        "validDays": valid_days, "burnInDays": burn_in_days,
        "customers": len(history),
        "customersWithOneOrder": one_order,
        "customersFirstSeenInFirst30Days": first_month,
        "cohort": len(cohort),
        "burnedIn": len(history) - len(cohort),
        "secondOrderAovAll": mean(all_second),
        "secondOrdersWithin": len(within_all),
        "secondOrderAovWithin": mean(within_all),
        "cohortSecondOrdersWithin": len(within_cohort),
        "cohortSecondOrderAovWithin": mean(within_cohort),
        "baseRateEligible": len(rate_eligible),
        "baseRateReturned": len(rate_returned),
        "baseRate": len(rate_returned) / len(rate_eligible) if rate_eligible else None,
        "eligibleNow": eligible_now,
        "giftCost": gift, "margin": margin,
        "breakEvenLift": l_star,
        "breakEvenLiftDelta90": [l_star - 1.644854 * se_l, l_star + 1.644854 * se_l],
    }, indent=1))


if __name__ == "__main__":
    main()
