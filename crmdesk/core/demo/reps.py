"""The demo's sales reps and their territories.

A book of customers has about one rep per ``CUSTOMERS_PER_REP`` (at least ``MIN_REPS``):
the names of ``vocabulary.OWNERS`` first, then names drawn from the name vocabulary (unique).
Each rep has a territory: a run of ``vocabulary.ROUTE``, whose neighbouring cities are near
each other, with about the same share of the customers (cities' weights) as the others. A
city smaller than a share goes whole to one rep (a rep may then have a few neighbouring
cities); a bigger one is shared by several, each with some of its districts. A customer's
owner is the rep of its city and district, except a few (``EXCEPTIONS``) who stayed with
the rep of the next territory.
"""
from __future__ import annotations

import random
from bisect import bisect_right

from crmdesk.core.demo.vocabulary import (
    CITIES,
    FEMALE_CHARS,
    MALE_CHARS,
    OWNERS,
    ROUTE,
    SURNAMES,
    Pick,
    pick_one,
)

CUSTOMERS_PER_REP = 150
MIN_REPS = 3
EXCEPTIONS = 0.02  # customers owned by the rep of the neighbouring territory


def rep_count(customers: int) -> int:
    return max(MIN_REPS, round(customers / CUSTOMERS_PER_REP))


def rep_names(count: int, seed: int) -> list[str]:
    """``count`` different names: ``OWNERS`` first, then drawn (from a random stream of
    their own, so the customers are the same whatever the number of reps)."""
    names = list(OWNERS[:count])
    taken = set(names)
    rng = random.Random(seed * 1_000_003 + 11)
    r = rng.random
    surname = Pick(SURNAMES)
    while len(names) < count:
        family = surname(r)
        pool = MALE_CHARS if r() < 0.55 else FEMALE_CHARS
        first = pick_one(r, pool)
        given = first if r() < 0.3 else first + pick_one(r, pool)
        name = family + given
        if name not in taken and (len(given) == 1 or given[0] != given[1]):
            taken.add(name)
            names.append(name)
    return names


class Territories:
    """Which rep owns a customer, from its city, district and one random draw."""

    def __init__(self, count: int):
        self.count = count
        weight = {c[0]: c[5] for c in CITIES}
        index = {c[0]: i for i, c in enumerate(CITIES)}
        # Where each city lies on the route, by cumulative weight.
        self.begin = [0.0] * len(CITIES)
        self.weight = [0.0] * len(CITIES)
        edges = [0.0]
        for name in ROUTE:
            self.begin[index[name]] = edges[-1]
            self.weight[index[name]] = weight[name]
            edges.append(edges[-1] + weight[name])
        total = edges[-1]
        share = total / count
        # The boundaries between territories: equal shares, moved to the nearer edge of a
        # city that is smaller than a share (never onto the boundary before it).
        bounds: list[float] = []
        for j in range(1, count):
            ideal = j * share
            city = bisect_right(edges, ideal) - 1
            low, high = edges[city], edges[city + 1]
            bound = ideal
            if high - low < share:
                near, far = (low, high) if ideal - low <= high - ideal else (high, low)
                previous = bounds[-1] if bounds else 0.0
                bound = near if near > previous else far
            bounds.append(bound)
        self.bounds = bounds

    def rep(self, city: int, district: int, districts: int, draw: float) -> int:
        """The owner (an index into the reps) of a customer in ``CITIES[city]`` and its
        ``district``-th district; ``draw`` is uniform in [0, 1)."""
        exception = draw < EXCEPTIONS
        v = draw / EXCEPTIONS if exception else (draw - EXCEPTIONS) / (1.0 - EXCEPTIONS)
        position = self.begin[city] + self.weight[city] * (district + v) / districts
        rep = bisect_right(self.bounds, position)
        if exception:
            if rep == self.count - 1 or (rep > 0 and v < 0.5):
                rep -= 1
            else:
                rep += 1
        return rep

    def cities(self, rep: int) -> list[str]:
        """The cities of the rep's territory (whole or in part), in route order."""
        low = self.bounds[rep - 1] if rep > 0 else 0.0
        high = self.bounds[rep] if rep < self.count - 1 else float("inf")
        index = {c[0]: i for i, c in enumerate(CITIES)}
        return [name for name in ROUTE
                if self.begin[index[name]] < high and self.begin[index[name]] + self.weight[index[name]] > low]
