"""A unit and currency converter API."""

# ruff: noqa: E501 - data tables read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.toolsets.base import (
    CallCase,
    Question,
    ToolSet,
    Unsupported,
    make_tool,
    number,
    one_call,
    request,
    string,
    to_json,
)

# (from symbol, to symbol, words for from, words for to, convert)
UNITS = (
    ("km", "mi", ("km", "kilometers"), ("miles", "mi"), lambda v: v * 0.621371),
    ("mi", "km", ("miles",), ("km", "kilometers"), lambda v: v * 1.609344),
    ("kg", "lb", ("kg", "kilograms"), ("pounds", "lb"), lambda v: v * 2.204623),
    ("lb", "kg", ("lb", "pounds"), ("kg", "kilograms"), lambda v: v * 0.453592),
    ("C", "F", ("degrees Celsius", "°C"), ("Fahrenheit", "°F"), lambda v: v * 9 / 5 + 32),
    ("F", "C", ("degrees Fahrenheit", "°F"), ("Celsius", "°C"), lambda v: (v - 32) * 5 / 9),
    ("L", "gal", ("liters", "L"), ("US gallons", "gallons"), lambda v: v * 0.264172),
    ("ft", "m", ("feet", "ft"), ("meters", "m"), lambda v: v * 0.3048),
    ("in", "cm", ("inches",), ("cm", "centimeters"), lambda v: v * 2.54),
)
CURRENCIES = {
    "USD": ("US dollars", "USD", "dollars"),
    "EUR": ("euros", "EUR"),
    "GBP": ("British pounds", "GBP"),
    "JPY": ("yen", "JPY", "Japanese yen"),
    "CAD": ("Canadian dollars", "CAD"),
}
RATES = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "JPY": 151.3, "CAD": 1.36}  # units per US dollar

CONVERTER = (
    make_tool(
        "convert_units",
        "Convert a value between units of length, mass, temperature or volume.",
        {
            "value": number("The value to convert."),
            "from_unit": string("Unit symbol of the value: km, mi, kg, lb, C, F, L, gal, ft, m, in or cm."),
            "to_unit": string("Unit symbol to convert to."),
        },
        ["value", "from_unit", "to_unit"],
    ),
    make_tool(
        "convert_currency",
        "Convert an amount of money at today's exchange rate.",
        {
            "amount": number("Amount of money."),
            "from_currency": string("ISO 4217 code, e.g. USD."),
            "to_currency": string("ISO 4217 code, e.g. EUR."),
        },
        ["amount", "from_currency", "to_currency"],
    ),
)


def convert_units(rng: random.Random) -> CallCase:
    source, target, source_words, target_words, convert = rng.choice(UNITS)
    value = rng.choice((rng.randrange(1, 200), round(rng.uniform(0.5, 99), 1)))
    said_from, said_to = rng.choice(source_words), rng.choice(target_words)
    text = request(
        rng.choice(
            (
                "convert {value} {source} to {target}",
                "how many {target} is {value} {source}",
                "{value} {source} in {target}",
            )
        ),
        rng,
        value=value,
        source=said_from,
        target=said_to,
    )
    converted = round(convert(value), 2)
    result = to_json({"value": value, "from_unit": source, "to_unit": target, "result": converted})
    answer = f"{value} {source} is {converted} {target}."
    arguments = {"value": value, "from_unit": source, "to_unit": target}
    return one_call(
        text, "convert_units", arguments, result, answer, (str(converted),), ("from_unit", "to_unit")
    )


def convert_currency(rng: random.Random) -> CallCase:
    source, target = rng.sample(list(CURRENCIES), 2)
    amount = rng.choice((20, 50, 100, 250, 1000, 75.5))
    text = request(
        rng.choice(
            (
                "how much is {amount} {source} in {target}",
                "convert {amount} {source} to {target}",
                "{amount} {source} to {target}?",
            )
        ),
        rng,
        amount=amount,
        source=rng.choice(CURRENCIES[source]),
        target=rng.choice(CURRENCIES[target]),
    )
    rate = round(RATES[target] / RATES[source], 4)
    converted = round(amount * rate, 2)
    result = to_json(
        {
            "amount": amount,
            "from": source,
            "to": target,
            "rate": rate,
            "converted": converted,
            "as_of": "2025-06-02",
        }
    )
    answer = f"{amount} {source} is about {converted} {target} (rate {rate}, as of 2025-06-02)."
    arguments = {"amount": amount, "from_currency": source, "to_currency": target}
    return one_call(
        text,
        "convert_currency",
        arguments,
        result,
        answer,
        (str(converted), str(rate)),
        ("from_currency", "to_currency"),
    )


CONVERTER_SET = ToolSet(
    name="unit_converter",
    tools=CONVERTER,
    capabilities={"convert_units": "convert units", "convert_currency": "convert currencies"},
    scenarios={"convert_units": (convert_units,), "convert_currency": (convert_currency,)},
    questions=(
        Question(
            ("what's the difference between mass and weight", "mass vs weight"),
            "Mass is the amount of matter, in kilograms; weight is the force gravity puts on it, in newtons - so "
            "your weight changes on the Moon but your mass doesn't.",
        ),
        Question(
            ("what is the SI unit of force",), "The newton (N): the force that accelerates 1 kg at 1 m/s²."
        ),
        Question(
            ("what is absolute zero",),
            "Absolute zero is 0 kelvin (-273.15 °C), the lowest possible temperature.",
        ),
        Question(
            ("what does ISO 4217 define",),
            "ISO 4217 defines the three-letter currency codes such as USD, EUR and JPY.",
        ),
        Question(
            ("which countries use the metric system", "who doesn't use the metric system"),
            "Nearly every country uses it officially; the United States, Liberia and Myanmar are the usual exceptions.",
        ),
    ),
    unsupported=(
        Unsupported(
            ("buy {amount} euros for me", "transfer {amount} euros to my savings account"),
            "buy or transfer money",
            {"amount": ("100", "500")},
        ),
        Unsupported(
            ("show the EUR to USD rate over the last year", "how did the yen do last month"),
            "show historical rates",
        ),
        Unsupported(
            ("alert me when the dollar drops below {rate} euros",),
            "set rate alerts",
            {"rate": ("0.9", "0.85")},
        ),
    ),
    aliases={
        "convert_units": ("unit_convert", "convert_measurement", "convertUnits"),
        "convert_currency": ("currency_convert", "exchange_amount", "convertCurrency"),
    },
    workspace_overlap=True,
)
