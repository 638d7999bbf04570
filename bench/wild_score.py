#!/usr/bin/env python3
"""Scores a scanner's report on tests/wild against its labels.

usage: wild_score.py WILD_DIR REPORT.json FORMAT [--strict]
FORMAT: keylint (keylint's JSON report, secrets shown) | gitleaks | betterleaks |
kingfisher (each tool's own JSON report). A labelled key counts as found when a finding in its
file holds the key (for a split or encoded key: a finding on its file at all);
with --strict (keylint only) the finding's provider must also be the label's.
A finding is a true positive when its secret is a labelled key of its file (or it
is in a file whose key is split/encoded); every other finding is a false positive.
Prints per-group recall, per-idiom recall and precision as JSON.
"""
import csv, json, os, sys
from collections import defaultdict

def load_labels(wild):
    labels = []
    for group in ("seed", "pack"):
        path = os.path.join(wild, group, "labels.tsv")
        if not os.path.exists(path):
            continue
        with open(path, newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                rel = os.path.join(group, row["file"])
                text = open(os.path.join(wild, rel), encoding="utf-8", errors="replace").read()
                row["group"], row["rel"], row["plain"] = group, rel, row["secret"] in text
                labels.append(row)
    return labels

def findings(report, fmt, wild):
    data = json.load(open(report)) if os.path.getsize(report) else []
    out = []
    if fmt == "keylint":
        for f in data.get("findings", []):
            if f.get("provider") == "practice":
                continue
            out.append((os.path.relpath(f["path"], wild) if os.path.isabs(f["path"]) else f["path"], f.get("secret", ""), f.get("provider", "")))
    elif fmt == "gitleaks":
        for f in data or []:
            out.append((f.get("File", ""), f.get("Secret", ""), ""))
    elif fmt == "betterleaks":
        for f in data.get("findings", []) if isinstance(data, dict) else data:
            out.append((f.get("location", {}).get("path", ""), f.get("match", {}).get("value", ""), ""))
    elif fmt == "kingfisher":
        for f in data.get("findings", []):
            fi = f.get("finding", {})
            out.append((fi.get("path", ""), fi.get("snippet", ""), ""))
    norm = []
    for path, secret, provider in out:
        p = path.replace("\\", "/")
        i = p.find("seed/") if "seed/" in p else p.find("pack/") if "pack/" in p else p.find("negatives/")
        norm.append((p[i:] if i >= 0 else p, secret, provider))
    return norm

def main():
    wild, report, fmt = sys.argv[1:4]
    strict = "--strict" in sys.argv
    labels = load_labels(wild)
    found = findings(report, fmt, wild)
    by_file = defaultdict(list)
    for path, secret, provider in found:
        by_file[path].append((secret, provider))
    per_group, per_idiom = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    misses = []
    label_of = {l["rel"]: l for l in labels}
    for l in labels:
        hits = by_file.get(l["rel"], [])
        ok = any((s == l["secret"] or l["secret"] in s or (not l["plain"] and s)) and (not strict or p == l["provider"]) for s, p in hits)
        if not l["plain"] and not strict:
            ok = ok or bool(hits)
        for key in (per_group[l["group"]], per_idiom[(l["group"], l["idiom"])]):
            key[0] += ok
            key[1] += 1
        if not ok:
            misses.append(l["rel"])
    tp = fp = 0
    fps = []
    for path, secret, provider in found:
        l = label_of.get(path)
        good = l is not None and (secret == l["secret"] or l["secret"] in secret or not l["plain"])
        tp += good
        if not good:
            fp += 1
            fps.append(path)
    result = {
        "recall": {g: {"found": v[0], "total": v[1], "recall": round(v[0] / v[1], 4)} for g, v in per_group.items()},
        "idioms": {f"{g}/{i}": f"{v[0]}/{v[1]}" for (g, i), v in sorted(per_idiom.items())},
        "precision": {"true": tp, "false": fp, "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0},
        "misses": misses,
        "false_positives": fps,
    }
    json.dump(result, sys.stdout, indent=1)
    print()

main()
