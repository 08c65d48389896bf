"""Finding duplicate customers (issue 21), against a naive all-pairs comparison in the same run.

    .venv/bin/python benchmarks/bench_duplicates.py [--customers 100000] [--sample 10000] [--db PATH]

Builds a demo database of N customers without visits (``demo.generate``) and plants 1 %
duplicates the way people make them (the same company with its city in brackets, a second
sheet's mobile, an e-mail in capitals, one character typed as its homophone, as a pinyin input
method does). Then, in this process:

1. ``dedupe.find_pairs()``: blocked candidates, scores and reasons, best first;
2. the baseline: ``rapidfuzz.process.extract`` of every name against every name of a random
   sample of ``--sample`` customers (the comparisons in C), scaled to N by (N / sample)².

It prints the seconds, the pairs found, how many planted pairs were found, and the ratio
baseline / find. ``--db PATH`` keeps the database built (and its planted pairs in PATH.json)
and reuses it next time, so that a million customers (some 20 minutes to build) can be
built while the machine is busy and measured when it is idle. ``--build-only`` stops there.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def homophone(name: str, sounds: dict, rng: random.Random) -> str:
    """``name`` with one Chinese character replaced by another of the same pinyin (润 -> 闰)."""
    from crmdesk.core.dedupe.find import pinyin_of
    places = [i for i, ch in enumerate(name) if len(sounds.get(pinyin_of(ch), ())) > 1]
    if not places:
        return name + "商行"
    i = rng.choice(places)
    other = rng.choice([ch for ch in sounds[pinyin_of(name[i])] if ch != name[i]])
    return name[:i] + other + name[i + 1:]


def plant(count: int, seed: int = 21) -> list[tuple[int, int, int]]:
    """Copies of ``count`` customers, each changed the way duplicates are: (original, copy) ids."""
    from crmdesk.core.models import Customer, database
    from crmdesk.core.customers import archive as customers
    rng = random.Random(seed)
    ids = [r[0] for r in database.execute_sql("SELECT id FROM customer ORDER BY id")]
    from crmdesk.core.dedupe.find import pinyin_of
    sounds: dict[str, set] = {}
    for (name,) in database.execute_sql("SELECT name FROM customer"):
        for ch in name:
            if "\u4e00" <= ch <= "\u9fff":
                sounds.setdefault(pinyin_of(ch), set()).add(ch)
    sounds = {k: sorted(v) for k, v in sounds.items()}
    planted = []
    with database.atomic():
        for original in rng.sample(ids, count):
            c = Customer.get_by_id(original)
            kind = rng.randrange(4)
            # its own number: finding the next free C-number scans every code (0.3 s a
            # customer at a million), which made planting 10,000 copies take most of an hour
            values = {"name": c.name, "city": c.city, "province": c.province, "code": f"P{original:08d}"}
            if kind == 0:  # the city moved into brackets, a second sheet
                city = c.city.rstrip("市")
                values["name"] = c.name.replace(c.city, "", 1).replace(city, "", 1) + f"({city})"
            elif kind == 1:  # another name, the same mobile
                if not c.mobile:
                    customers.update(original, {"mobile": f"139{original:08d}"})
                values.update(name=c.name[:2] + "贸易商行", mobile=Customer.get_by_id(original).mobile)
            elif kind == 2:  # the e-mail in capitals
                if not c.email:
                    customers.update(original, {"email": f"c{original}@example.cn"})
                values.update(name=c.contact_person or c.name, email=Customer.get_by_id(original).email.upper())
            else:  # one character typed as its homophone, as a pinyin input method does
                values["name"] = homophone(c.name, sounds, rng)
            planted.append((original, customers.create(values)[0], kind))
    return planted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=10_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    import os
    folder = Path(tempfile.mkdtemp(prefix="crmdesk-dupes-"))
    os.environ["CRMDESK_DATA_DIR"] = str(folder)
    try:
        run(args, folder)
    finally:  # the database too, unless --db put it elsewhere (1.2 GB at 100,000 customers)
        from crmdesk.core.db import close_database
        close_database()
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: Path) -> None:
    import json
    from crmdesk.core import dedupe
    from crmdesk.core.db import open_database
    from crmdesk.core.dedupe import names as N
    from crmdesk.core import demo
    path = args.db or folder / "crm.sqlite"
    saved = Path(str(path) + ".json")
    if args.db and path.is_file() and saved.is_file():
        open_database(path)
        planted = [tuple(p) for p in json.loads(saved.read_text())]
        print(f"database: {path} reused, {len(planted):,} planted copies")
    else:
        open_database(path)
        started = time.perf_counter()
        from crmdesk.core.customers import archive as customers
        if customers.count() == 0:  # a database built before the copies were planted: kept
            demo.generate(args.customers, visits=False)
        planted = plant(max(1, args.customers // 100))
        saved.write_text(json.dumps(planted))
        print(f"database: {args.customers:,} customers + {len(planted):,} planted copies "
              f"({time.perf_counter() - started:.1f} s to build)")
    if args.build_only:
        return

    started = time.perf_counter()
    pairs = dedupe.find_pairs()
    found_s = time.perf_counter() - started
    found = {(p.first.id, p.second.id) for p in pairs}
    hits = [(a, b) in found for a, b, _kind in planted]
    kinds = ("city in brackets", "same mobile", "same e-mail", "a homophone")
    by_kind = ", ".join(f"{name} {sum(h for h, p in zip(hits, planted) if p[2] == k)}/{sum(1 for p in planted if p[2] == k)}"
                        for k, name in enumerate(kinds))
    print(f"find_pairs: {found_s:.2f} s, {len(pairs):,} pairs, {sum(hits):,} of {len(planted):,} planted copies "
          f"found ({by_kind})")
    from collections import Counter
    print("pairs by reasons:", dict(Counter(", ".join(p.reasons) for p in pairs).most_common(8)))

    from crmdesk.core.models import database
    from rapidfuzz.fuzz import ratio
    from rapidfuzz.process import extract
    names = [r[0] for r in database.execute_sql("SELECT name FROM customer")]
    sample = random.Random(3).sample(names, min(args.sample, len(names)))
    cores = [N.name_core(n) for n in sample]
    started = time.perf_counter()
    for core in cores:  # every name against every name, the comparison itself in C
        extract(core, cores, scorer=ratio, score_cutoff=85, limit=None)
    sample_s = time.perf_counter() - started
    scaled = sample_s * (len(names) / len(sample)) ** 2
    print(f"baseline: all pairs of {len(sample):,} names {sample_s:.2f} s, scaled to {len(names):,}: {scaled:.0f} s")
    print(f"ratio baseline / find_pairs: {scaled / found_s:.0f}x")


if __name__ == "__main__":
    main()
