#!/usr/bin/env python3
"""unplanted.py PLANTED_TSV KEYLINT_JSON DEST -- compare a keylint report with planted keys.

Prints planted keys found/missed and every finding that is not a planted key
(path relative to DEST, line, rule, redacted snippet), so each can be examined.
"""
import csv
import json
import os
import sys


def main():
    planted_tsv, report, dest = sys.argv[1:4]
    planted = list(csv.DictReader(open(planted_tsv), delimiter="\t"))
    findings = json.load(open(report))["findings"]

    def rel(p):
        return os.path.relpath(p, dest) if os.path.isabs(p) else p

    at = {}
    for f in findings:
        at.setdefault((rel(f["path"]), f["line"]), []).append(f)
    missed = [r for r in planted if not at.get((r["path"], int(r["line"])))]
    wrong = [r for r in planted if at.get((r["path"], int(r["line"])))
             and all(f["provider"] != r["provider"] for f in at[(r["path"], int(r["line"]))])]
    keys = {(r["path"], int(r["line"])) for r in planted}
    extra = [f for f in findings if (rel(f["path"]), f["line"]) not in keys]
    print(f"planted found: {len(planted) - len(missed)}/{len(planted)}; "
          f"attributed to another provider: {len(wrong)}; unplanted findings: {len(extra)}")
    for r in missed:
        print(f"  MISSED {r['provider']} {r['carrier']} {r['path']}:{r['line']}")
    for r in wrong:
        print(f"  WRONG PROVIDER {r['provider']} {r['carrier']} {r['path']}:{r['line']}")
    for f in extra:
        print(f"  UNPLANTED {f['rule']} {rel(f['path'])}:{f['line']}: {f['snippet'][:160]}")


if __name__ == "__main__":
    main()
