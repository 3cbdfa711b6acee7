#!/usr/bin/env python3
"""Quantiles of a Prometheus histogram between two scrapes of /metrics.

usage: histogram_quantiles.py METRIC BEFORE.txt AFTER.txt
Prints the count and, for p50, p99 and p999, the upper bound of the bucket
the quantile falls in, in milliseconds: a histogram knows no more than that.
"""
import re
import sys


def buckets(path, metric):
    counts = {}
    pattern = re.compile(r'^%s_bucket\{le="([^"]+)"\} ([0-9.e+]+)$' % re.escape(metric))
    with open(path) as text:
        for line in text:
            match = pattern.match(line.strip())
            if match:
                bound = float("inf") if match.group(1) == "+Inf" else float(match.group(1))
                counts[bound] = counts.get(bound, 0) + float(match.group(2))
    return counts


metric, before_path, after_path = sys.argv[1:4]
before, after = buckets(before_path, metric), buckets(after_path, metric)
cumulative = sorted((bound, after[bound] - before.get(bound, 0)) for bound in after)
total = cumulative[-1][1] if cumulative else 0
figures = []
for name, q in (("p50", 0.5), ("p99", 0.99), ("p999", 0.999)):
    bound = next((b for b, count in cumulative if total and count >= q * total), float("inf"))
    figures.append("%s <= %s" % (name, "inf" if bound == float("inf") else "%g" % (bound * 1000)))
print("%s count %d %s ms" % (metric, total, " ".join(figures)))
