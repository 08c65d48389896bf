"""The analytics' parameters, kept in the database (DESIGN §4): the ABC shares, the
evaluation's weights, the lifetime value's margin, discount rate and horizon, and the
loyalty factors' weights. A wrong value is refused with its field named and nothing is
stored; a damaged stored value falls back to its default."""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

from crmdesk.core.customers import fields as F
from crmdesk.core.changes import Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import FieldError, ValidationError
from crmdesk.core.models import Setting

KEY = "analytics.settings"
LOYALTY_FACTORS = ("duration", "frequency", "frequency_trend", "wallet_share", "cross_buying", "mentions",
                   "price_sensitivity", "voluntariness", "satisfaction")
DEFAULT_WEIGHTS = {"need_score": 0.25, "volume_score": 0.20, "purchasing_power_score": 0.20, "credit_score": 0.20,
                   "decision_score": 0.15}


@dataclass(frozen=True)
class Settings:
    abc: tuple[float, float, float] = (0.80, 0.15, 0.05)  # shares of revenue: A, B, C
    weights: dict = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))  # evaluation factor → weight
    margin: float = 0.25  # gross margin on revenue
    discount: float = 0.08  # a year
    horizon: int = 3  # years the current pattern is projected over
    loyalty: dict = field(default_factory=lambda: {f: 1.0 for f in LOYALTY_FACTORS})

    def as_json(self) -> dict:
        return asdict(self)


def _number(raw: Mapping[str, Any], key: str, low: float, high: float, errors: dict, default: float) -> float:
    value = raw.get(key, default)
    try:
        number = float(str(value).strip())
        if isinstance(value, bool) or not math.isfinite(number) or not low <= number <= high:
            raise ValueError
        return number
    except (TypeError, ValueError):
        errors[key] = FieldError("number_out_of_range", key, low=low, high=high)
        return default


def validate(raw: Mapping[str, Any]) -> Settings:
    errors: dict[str, FieldError] = {}
    base = Settings()
    shares = raw.get("abc", base.abc)
    if (not isinstance(shares, (list, tuple)) or len(shares) != 3 or any(isinstance(s, bool) for s in shares)):
        errors["abc"] = FieldError("analytics_abc_invalid", "abc")
        abc = base.abc
    else:
        try:
            abc = tuple(float(s) for s in shares)
            if any(not 0 < s < 1 for s in abc) or abs(sum(abc) - 1) > 1e-6:
                raise ValueError
        except (TypeError, ValueError):
            errors["abc"] = FieldError("analytics_abc_invalid", "abc")
            abc = base.abc
    weights = {}
    for key in F.SCORE_KEYS:
        weights[key] = _number(raw.get("weights") or {}, key, 0, 100, errors, DEFAULT_WEIGHTS[key])
    if not errors and sum(weights.values()) <= 0:
        errors["weights"] = FieldError("analytics_weights_zero", "weights")
    loyalty = {f: _number(raw.get("loyalty") or {}, f, 0, 100, errors, 1.0) for f in LOYALTY_FACTORS}
    margin = _number(raw, "margin", 0.0, 1.0, errors, base.margin)
    discount = _number(raw, "discount", 0.0, 1.0, errors, base.discount)
    horizon = _number(raw, "horizon", 1, 30, errors, base.horizon)
    if horizon != int(horizon):
        errors["horizon"] = FieldError("number_out_of_range", "horizon", low=1, high=30)
    if errors:
        raise ValidationError(errors)
    return Settings(abc, weights, margin, discount, int(horizon), loyalty)


def load() -> Settings:
    row = Setting.get_or_none(Setting.key == KEY)
    try:
        return validate(json.loads(row.value)) if row else Settings()
    except (TypeError, ValueError, ValidationError):
        return Settings()  # damaged: the defaults


def save(raw: Mapping[str, Any]) -> list[Changes]:
    settings = validate(raw)
    with transaction():
        Setting.insert(key=KEY, value=json.dumps(settings.as_json())).on_conflict_replace().execute()
    return [Changes.reset("analytics_settings")]
