"""Drawing one chunk of customers, contacts, transactions, tags and change-log rows
from one ``random.Random``, in a fixed order (see the package docstring); their visits
come from ``demo.visits`` with a random stream of their own."""
from __future__ import annotations

import datetime as dt
import random
from math import log
from typing import Optional


from crmdesk.core.phones.rules import check as phone_check
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.demo.vocabulary import (
    spaced,
    BANKS,
    BRANDS,
    CITIES,
    CREDIT,
    CREDIT_SCORE,
    DELIVERY,
    EDUCATION,
    END_DATE,
    ENTITY,
    FEMALE_CHARS,
    FREE_MAIL,
    HOBBIES,
    INDUSTRIES,
    MALE_CHARS,
    MOBILE_PREFIXES,
    NOTES,
    OWNERSHIP,
    PAYMENT,
    PREFERENCES,
    PRODUCTS,
    RELATIONSHIP,
    ROADS,
    SIZES,
    SOURCE,
    STAGE,
    START_DATE,
    SURNAMES,
    TAGS,
    TIER,
    TITLES_OTHER,
    TITLES_SENIOR,
    TLDS,
    TRANSACTIONS_PER_TIER,
    TRANSACTION_NOTES,
    CREDIT_CODE_CHARS,
    DAYS_IN_MONTH,
    Person,
    Pick,
    compose,
    part_keys,
    pick_one,
    short_place,
    uuid_from_bits,
    credit_code_check,
)
from crmdesk.core.demo.reps import Territories, rep_names
from crmdesk.core.demo.visits import VisitMaker


# ---------------------------------------------------------------- generating

class Generator:
    def __init__(self, seed: int, batch_id: int, ids: dict[str, int], reps: int, visits: bool = True):
        self.rng = random.Random(seed)
        self.r = self.rng.random
        self.bits = self.rng.getrandbits
        self.batch_id = batch_id
        self.next_id = dict(ids)
        self.city = Pick((c, c[5]) for c in CITIES)
        self.city_number = {c[0]: number for number, c in enumerate(CITIES)}
        self.surname = Pick(SURNAMES)
        self.industry = Pick(((word, industry, Pick(suffixes)), weight)
                              for word, industry, suffixes, weight in INDUSTRIES)
        self.senior = Pick(TITLES_SENIOR)
        self.other_title = Pick(TITLES_OTHER)
        self.reps = rep_names(reps, seed)
        self.territories = Territories(reps)
        self.source = Pick(SOURCE)
        self.tier = Pick(TIER)
        self.stage = Pick(STAGE)
        self.relationship = {k: Pick(v) for k, v in RELATIONSHIP.items()}
        self.credit = Pick(CREDIT)
        self.ownership = Pick(OWNERSHIP)
        self.size = Pick((s, s[1]) for s in SIZES)
        self.education = Pick(EDUCATION)
        self.payment = Pick(PAYMENT)
        self.product = Pick((p, 1) for p in PRODUCTS)
        self.end_ordinal = END_DATE.toordinal()
        self.start_ordinal = START_DATE.toordinal()
        self.customers: list[tuple] = []
        self.contacts: list[tuple] = []
        self.transactions: list[tuple] = []
        self.tags: list[tuple] = []
        self.changes: list[tuple] = []
        self.visits = VisitMaker(seed, ids["visit"], reps) if visits else None

    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def _int(self, low: int, high: int) -> int:
        """A whole number from low to high, both included."""
        return low + int(self.r() * (high - low + 1))

    # -- small values

    def person(self, gender: Optional[str] = None) -> Person:
        r = self.r
        surname = self.surname(r)
        if gender is None:
            gender = "male" if r() < 0.55 else "female"
        pool = MALE_CHARS if gender == "male" else FEMALE_CHARS
        given = (pick_one(r, pool),) if r() < 0.3 else (pick_one(r, pool), pick_one(r, pool))
        name, full, initials = compose(surname, *given)
        given_pinyin = "".join(part_keys(c)[0] for c in given)
        return Person(name, full, initials, part_keys(surname)[0], given_pinyin, gender)

    # Stored as the phone rules store a valid number: E.164 (+8613812345678; 010-62345678 ->
    # +861062345678), which the lists show as dialled.
    def mobile(self) -> str:
        return "+86" + pick_one(self.r, MOBILE_PREFIXES) + "%08d" % int(self.r() * 100_000_000)

    def landline(self, area: str) -> str:
        # E.164 when the city's numbers have 8 digits; where they have 7 (兰州 0931) the rules
        # keep the 8 typed digits as they are, and so does the demo
        number = area + str(self._int(5, 8)) + "%07d" % int(self.r() * 10_000_000)
        return phone_check(number)

    def birthday(self, young: bool = False) -> tuple[Optional[int], Optional[int], Optional[int], str]:
        r = self.r
        if r() < 0.25:
            return None, None, None, "solar"
        lunar = r() < 0.10
        month = self._int(1, 12)
        day = self._int(1, 30 if lunar else DAYS_IN_MONTH[month - 1])
        year = self._int(1985 if young else 1958, 2002 if young else 1996) if r() < 0.6 else None
        return year, month, day, "lunar" if lunar else "solar"

    def email(self, person: Person, domain: Optional[str]) -> str:
        r = self.r
        if domain is None:
            if r() < 0.4:
                return "%d@qq.com" % self._int(100000, 3999999999)
            local = person.pinyin + (str(self._int(1, 999)) if r() < 0.6 else "")
            return f"{local}@{pick_one(r, FREE_MAIL)}"
        form = r()
        if form < 0.5:
            local = person.pinyin
        elif form < 0.8:
            local = f"{person.given_pinyin}.{person.surname_pinyin}"
        else:
            local = person.surname_pinyin + person.given_pinyin[:1]
        return f"{local}@{domain}"

    def wechat(self, person: Person, mobile: str) -> str:
        r = self.r
        form = r()
        if form < 0.35:
            return ""
        if form < 0.55:
            return mobile
        if form < 0.8:
            return person.pinyin + str(self._int(1, 9999))
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        return "wxid_" + "".join(alphabet[int(r() * 36)] for _ in range(12))

    # -- one customer

    def customer(self, number: int) -> None:
        r, pick_int = self.r, self._int
        cid = self._id("customer")
        code = "C%06d" % number
        individual = r() < 0.15
        city, province, area, postal, admin, _w, districts = self.city(r)
        district_index = int(r() * len(districts))
        district = districts[district_index]
        tier = self.tier(r)
        stage = self.stage(r)
        city_number = self.city_number[city]
        rep = self.territories.rep(city_number, district_index, len(districts), r())
        owner = self.reps[rep]

        # When the customer came, and the months in which it bought.
        end = self.end_ordinal
        if stage == "prospect":
            created = end - pick_int(0, 180)
        elif stage == "developing":
            created = end - pick_int(60, 540)
        elif stage == "mature":
            created = end - pick_int(365, 1825)
        elif stage == "declining":
            created = end - pick_int(300, 1825)
        else:  # lost: bought for a while, then stopped
            created = end - pick_int(900, 1825)
        created_at = "%s %02d:%02d:%02d" % (dt.date.fromordinal(created).isoformat(),
                                            pick_int(8, 18), pick_int(0, 59), pick_int(0, 59))
        uuid_ = uuid_from_bits(self.bits(128))

        people: list[tuple[Person, str, bool]] = []  # (person, title, decision maker)
        brand_pinyin = ""
        if individual:
            main = self.person()
            name, full, initials = main.name, main.pinyin, main.initials
            kind, industry, ownership, size, revenue, website = "individual", "", "", "", None, ""
            fiscal, tax_id, bank_name, bank_account = None, "", "", ""
            domain = None
            phone = self.landline(area) if r() < 0.2 else ""
            fax = ""
            payment = self.payment(r) if r() < 0.5 else ""
            decision = 0
        else:
            word, industry, suffix_pick = self.industry(r)
            suffix = suffix_pick(r)
            brand = (pick_one(r, BRANDS),) if r() < 0.85 else (pick_one(r, BRANDS), pick_one(r, BRANDS))
            if brand[-1] == brand[0] and len(brand) == 2:
                brand = brand[:1]
            form = r()
            city_short = short_place(city)
            if form < 0.45:
                parts = (city, *brand, word, suffix)
            elif form < 0.65:
                parts = (city_short, *brand, word, suffix)
            elif form < 0.95:
                parts = (*brand, word, suffix)
            else:
                parts = (*brand, word, "（", city_short, "）", suffix)
            name, full, initials = compose(*parts)
            brand_pinyin = "".join(part_keys(b)[0] for b in brand)
            kind = "company"
            ownership = self.ownership(r)
            size_index = SIZES.index(self.size(r))
            if tier == "key":
                size_index = min(size_index + 2, len(SIZES) - 1)
            elif tier == "relationship":
                size_index = min(size_index + (r() < 0.5), len(SIZES) - 1)
            size_name, _w, low, high = SIZES[size_index]
            size = size_name if r() < 0.85 else ""
            revenue = pick_int(low, high) * 1_000_000 if r() < 0.8 else None  # 万元 -> cents
            domain = brand_pinyin + pick_one(r, TLDS)
            website = "www." + domain if r() < 0.5 else ""
            fiscal = (1 if ownership not in ("外资", "合资") or r() < 0.6 else pick_one(r, (4, 7, 10))) \
                if r() < 0.6 else None
            phone = self.landline(area)
            fax = (phone[:-1] + str((int(phone[-1]) + 1) % 10)) if r() < 0.3 else ""
            if r() < 0.75:
                body = "91" + admin + "%02d" % (district_index + 1) + "".join(
                    CREDIT_CODE_CHARS[int(r() * 31)] for _ in range(9))
                tax_id = body + credit_code_check(body)
            else:
                tax_id = ""
            if r() < 0.7:
                bank_name = f"{pick_one(r, BANKS)}{short_place(city)}{short_place(district)}支行"
                bank_account = "6" + "".join(str(int(r() * 10)) for _ in range(18))
            else:
                bank_name = bank_account = ""
            payment = self.payment(r) if r() < 0.9 else ""
            count = 1 if r() < 0.45 else (2 if r() < 0.64 else 3)
            decision = int(r() * count)
            for index in range(count):
                title = self.senior(r) if index == decision else self.other_title(r)
                people.append((self.person(), title, index == decision))
            main = people[0][0]

        gender = main.gender if r() < 0.95 else "unspecified"
        b_year, b_month, b_day, calendar = self.birthday()
        mobile = self.mobile()
        email = self.email(main, domain) if r() < 0.7 else ""
        wechat = self.wechat(main, mobile)
        road = pick_one(r, ROADS)
        address = "%s%d号" % (road, pick_int(1, 999))
        building = r()
        if building < 0.35:
            address += "%d栋%d%02d室" % (pick_int(1, 12), pick_int(1, 28), pick_int(1, 20))
        elif building < 0.55:
            address += "%s座%d%02d室" % (pick_one(r, "ABCD"), pick_int(1, 30), pick_int(1, 20))
        postal_code = "%s%d%02d" % (postal, district_index, pick_int(0, 99))
        source = self.source(r)
        relationship = self.relationship[tier](r)
        credit = self.credit(r)
        if r() < 0.85:
            if tier == "key":
                volume, power = pick_int(4, 5), pick_int(4, 5)
            elif tier == "relationship":
                volume, power = pick_int(3, 4), pick_int(2, 5)
            else:
                volume, power = pick_int(1, 3), pick_int(1, 4)
            low, high = CREDIT_SCORE[credit]
            scores = (pick_int(2, 5), volume, power, pick_int(low, high), pick_int(2, 5))
        else:
            scores = (None,) * 5
        hometown = ""
        if r() < 0.4:
            h_city, h_province = pick_one(r, CITIES)[:2]
            hometown = short_place(h_city) if h_city == h_province else short_place(h_province) + short_place(h_city)
        education = self.education(r)
        hobbies = ""
        if r() < 0.45:
            first = pick_one(r, HOBBIES)
            second = pick_one(r, HOBBIES) if r() < 0.5 else first
            hobbies = first if second == first else f"{first}、{second}"
        preferences = pick_one(r, PREFERENCES) if r() < 0.25 else ""
        delivery = pick_one(r, DELIVERY) if r() < 0.4 else ""
        tag_count = 0 if r() < 0.4 else (1 if r() < 0.58 else (2 if r() < 0.72 else 3))
        tags: list[str] = []
        while len(tags) < tag_count:
            tag = pick_one(r, TAGS)
            if tag not in tags:
                tags.append(tag)
        notes = pick_one(r, NOTES) if r() < 0.15 else ""

        # Contacts: the first is the customer's contact person.
        contact_person = title = ""
        contact_parts: list[str] = []
        contact_keys: list[tuple[str, str]] = []
        for index, (person, p_title, decides) in enumerate(people):
            if index == 0:
                p_mobile = mobile
                p_email = email
                p_wechat = wechat
                p_birthday = (b_year, b_month, b_day, calendar)
                contact_person, title = person.name, p_title
            else:
                p_mobile = self.mobile()
                p_email = self.email(person, domain) if r() < 0.6 else ""
                p_wechat = self.wechat(person, p_mobile)
                p_birthday = self.birthday(young=True)
            p_phone = (phone + "x" + str(pick_int(800, 899))) if r() < 0.3 else ""
            self.contacts.append((
                self._id("contact"), uuid_from_bits(self.bits(128)), created_at, created_at, cid,
                person.name, p_title, p_mobile, p_phone, p_email, p_wechat, *p_birthday,
                1 if decides else 0, ""))
            contact_parts += (person.name, p_mobile, p_phone)
            contact_keys.append((person.pinyin, person.initials))

        # The search text, as customers._derived builds it.
        pieces = [name, full, initials, spaced(name), code.casefold()]
        if contact_person:
            pieces += (contact_person, contact_keys[0][0], contact_keys[0][1], spaced(contact_person))
        if mobile:
            pieces.append(mobile)
        if phone:
            pieces.append(phone)
        pieces.append(city)
        pieces += (*part_keys(city), spaced(city))
        pieces.append(district)
        pieces += (*part_keys(district), spaced(district))
        if email:
            pieces.append(email.casefold())
        if wechat:
            pieces.append(wechat.casefold())
        for index in range(len(people)):
            c_name, c_mobile, c_phone = contact_parts[3 * index: 3 * index + 3]
            pieces += (c_name, *contact_keys[index], spaced(c_name))
            if c_mobile:
                pieces.append(c_mobile)
            if c_phone:
                pieces.append(c_phone)
        # and the phones as dialled (stored in E.164)
        dialled = (phone_display(p) for p in (mobile, phone, *contact_parts) if p.startswith("+"))
        pieces += (d for d in dialled if not d.startswith("+"))

        self.customers.append((
            cid, uuid_, created_at, created_at, code, name, kind, contact_person, title, mobile,
            phone, fax, email, wechat, province, city, district, address, postal_code, website,
            industry, ownership, size, revenue, fiscal, source, owner, tier, stage, relationship,
            credit, *scores, gender, b_year, b_month, b_day, calendar, hometown, education,
            hobbies, preferences, delivery, payment, bank_name, bank_account, tax_id,
            ", ".join(tags), notes, full or name.casefold(), initials, " ".join(pieces)))
        for tag in tags:
            self.tags.append((self._id("customer_tag"), cid, tag))
        self.changes.append((self._id("change_log"), created_at, owner, ENTITY, cid, uuid_, cid,
                             "created", "", None, name, self.batch_id))
        last_purchase = self.purchases(cid, tier, stage, created) if stage != "prospect" else None

        if self.visits is None:
            self.customers[-1] += (None, None, None)
            return
        # Visits: the place is the customer's address, written as visits.default_place does.
        parts = [p for p in (province, city, district) if p and p not in address]
        if len(parts) >= 2 and parts[0] == parts[1]:
            parts = parts[1:]
        visited = tuple(p[0].name for p in people) if people else (main.name,)
        own, last_visit, next_visit = self.visits.customer(
            cid, tier, stage, owner, rep, city_number + 1, created, "".join(parts) + address, visited,
            decision, last_purchase, individual)
        self.customers[-1] += (own, last_visit, next_visit)

    def purchases(self, cid: int, tier: str, stage: str, created: int) -> int:
        """Draw the customer's transactions; returns the last day they may fall on."""
        r, pick_int = self.r, self._int
        first = max(created + 7, self.start_ordinal)
        last = self.end_ordinal
        if stage == "lost":
            last -= pick_int(240, 720)
        elif stage == "declining":
            last -= pick_int(60, 240)
        last = max(last, first)  # never before the customer was created
        mean = TRANSACTIONS_PER_TIER[tier]
        if stage == "developing":
            mean *= 0.6
        count = 1 + int(-mean * log(1.0 - r()))  # 1 + exponential: a few buy a lot
        span = last - first + 1
        days = sorted(first + int(r() * span) for _ in range(count))
        recent = self.end_ordinal - 60
        scale = 3 if tier == "key" else 1
        for day in days:
            product, category, price, most = self.product(r)
            quantity = 1 + int(r() * r() * most * scale)
            unit = price * (85 + int(r() * 16)) // 100 // 100 * 100  # a discount, whole yuan
            amount = unit * quantity
            note = ""
            draw = r()
            if draw < 0.02:  # a refund
                quantity = -(1 + int(r() * min(quantity, 3)))
                amount = unit * quantity
                paid = amount
                note = "退货退款"
            elif day > recent and draw < 0.32:
                paid = 0
            elif draw < 0.09:
                paid = amount * (30 + int(r() * 61)) // 100 // 100 * 100
            else:
                paid = amount
                if draw > 0.95:
                    note = pick_one(r, TRANSACTION_NOTES)
            date = dt.date.fromordinal(day).isoformat()
            stamp = "%s %02d:%02d:%02d" % (date, pick_int(9, 18), pick_int(0, 59), pick_int(0, 59))
            self.transactions.append((
                self._id("transactions"), uuid_from_bits(self.bits(128)), stamp, stamp, cid, date, product,
                category, float(quantity), amount, paid, note, self.batch_id))
        return last

    def take(self) -> tuple[list, list, list, list, list, list]:
        taken = (self.customers, self.contacts, self.transactions, self.tags, self.changes,
                 self.visits.take() if self.visits is not None else [])
        self.customers, self.contacts, self.transactions, self.tags, self.changes = [], [], [], [], []
        return taken


