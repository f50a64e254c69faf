"""The Python peer of the end-to-end benchmark: the same monitoring done the way a team would write it
without Driftwatch — a confluent-kafka consumer, json.loads per message, events kept per model and 60 s
event-time window (watermark = highest time - 5 s), each model's first 1 000 events as its reference, and
per closed window: scipy's ks_2samp and a decile PSI (numpy) per numeric feature, a chi-squared test per
categorical feature and the latency p99. Reads the topic from offset 0 until it has all `--messages`, then
prints one JSON line (events/s from the first message to the last window computed, peak RSS).
"""
import argparse
import json
import resource
import time

import numpy as np
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
from scipy import stats

REFERENCE_EVENTS = 1000
WINDOW_MS = 60_000
LATENESS_MS = 5_000


def parse_time(value):
    if isinstance(value, (int, float)):
        return int(value)
    # RFC 3339 with milliseconds and Z, as the benchmark writes it.
    return int(np.datetime64(value.rstrip("Z"), "ms").astype(np.int64))


class Model:
    def __init__(self):
        self.reference = []
        self.profile = None
        self.windows = {}
        self.highest = None
        self.reports = 0

    def add(self, event):
        t = parse_time(event["timestamp"])
        if self.profile is None:
            self.reference.append(event)
            if len(self.reference) == REFERENCE_EVENTS:
                self.profile = self.build_profile(self.reference)
                self.reference = None
            return
        self.highest = t if self.highest is None else max(self.highest, t)
        start = t - t % WINDOW_MS
        if start + WINDOW_MS > self.highest - LATENESS_MS:
            self.windows.setdefault(start, []).append(event)
        for closing in sorted(s for s in self.windows if s + WINDOW_MS <= self.highest - LATENESS_MS):
            self.report(self.windows.pop(closing))

    @staticmethod
    def build_profile(events):
        profile = {"numeric": {}, "categorical": {}}
        for name, value in events[0]["features"].items():
            if isinstance(value, str):
                values = [e["features"].get(name) for e in events]
                counts = {}
                for v in values:
                    counts[v] = counts.get(v, 0) + 1
                profile["categorical"][name] = counts
            else:
                values = np.array([e["features"].get(name, np.nan) for e in events], dtype=float)
                values = values[~np.isnan(values)]
                edges = np.unique(np.quantile(values, np.linspace(0, 1, 11)))
                expected = np.histogram(values, bins=edges)[0] / len(values)
                profile["numeric"][name] = (values, edges, expected)
        return profile

    def report(self, events):
        result = {}
        for name, (reference, edges, expected) in self.profile["numeric"].items():
            values = np.array([e["features"].get(name, np.nan) for e in events], dtype=float)
            values = values[~np.isnan(values)]
            ks = stats.ks_2samp(reference, values)
            actual = np.histogram(np.clip(values, edges[0], edges[-1]), bins=edges)[0] / max(len(values), 1)
            a, e = np.clip(actual, 1e-4, None), np.clip(expected, 1e-4, None)
            result[name] = (ks.statistic, ks.pvalue, float(np.sum((a - e) * np.log(a / e))))
        for name, reference in self.profile["categorical"].items():
            counts = {}
            for event in events:
                v = event["features"].get(name)
                counts[v] = counts.get(v, 0) + 1
            categories = sorted(set(reference) | set(counts), key=str)
            observed = np.array([counts.get(c, 0) for c in categories], dtype=float)
            ref = np.array([reference.get(c, 0) for c in categories], dtype=float) + 0.5
            expected = ref / ref.sum() * observed.sum()
            result[name] = stats.chisquare(observed, expected).pvalue
        latencies = [e["latency_ms"] for e in events if "latency_ms" in e]
        result["latency_p99"] = float(np.percentile(latencies, 99)) if latencies else None
        self.reports += 1
        return result


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--brokers", default="127.0.0.1:19092")
    parser.add_argument("--topic", default="bench.predictions")
    parser.add_argument("--messages", type=int, required=True)
    args = parser.parse_args()

    consumer = Consumer({"bootstrap.servers": args.brokers, "group.id": "python-peer", "enable.auto.commit": False})
    consumer.assign([TopicPartition(args.topic, 0, OFFSET_BEGINNING)])
    models = {}
    read = 0
    first = None
    while read < args.messages:
        for message in consumer.consume(num_messages=10_000, timeout=1.0):
            if message.error():
                continue
            if first is None:
                first = time.monotonic()
            read += 1
            event = json.loads(message.value())
            models.setdefault(event["model"], Model()).add(event)
    seconds = time.monotonic() - first
    consumer.close()
    print(json.dumps({
        "events": read, "window_reports": sum(m.reports for m in models.values()), "seconds": seconds,
        "events_per_second": read / seconds, "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cpu_seconds": time.process_time(),
    }, sort_keys=True))


if __name__ == "__main__":
    main()
