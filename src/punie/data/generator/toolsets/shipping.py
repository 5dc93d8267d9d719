"""A shipping tracker API: track parcels, estimate shipping costs."""

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
    pick_date,
    request,
    string,
    to_json,
)

COUNTRIES = {
    "DE": "Germany",
    "FR": "France",
    "US": "the US",
    "GB": "the UK",
    "JP": "Japan",
    "CA": "Canada",
    "NL": "the Netherlands",
}
CARRIER_NAMES = {"ups": "UPS", "fedex": "FedEx", "dhl": "DHL", "usps": "USPS"}
PLACES = ("Memphis, TN", "Leipzig, DE", "Louisville, KY", "Cologne, DE", "Chicago, IL")

SHIPPING = (
    make_tool(
        "track_package",
        "Current status of a parcel.",
        {
            "tracking_number": string("The tracking number."),
            "carrier": string("Carrier (detected from the number when omitted).", list(CARRIER_NAMES)),
        },
        ["tracking_number"],
    ),
    make_tool(
        "estimate_shipping",
        "Price and transit time for sending a parcel.",
        {
            "weight_kg": number("Parcel weight in kilograms."),
            "origin_country": string("ISO 3166-1 alpha-2 code of the sending country."),
            "destination_country": string("ISO 3166-1 alpha-2 code of the receiving country."),
            "service": string("Speed (default standard).", ["standard", "express"]),
        },
        ["weight_kg", "origin_country", "destination_country"],
    ),
)


def _tracking_number(carrier: str, rng: random.Random) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(20))
    return {"ups": "1Z" + digits[:16], "fedex": digits[:12], "dhl": digits[:10], "usps": "94" + digits}[
        carrier
    ]


def track_package(rng: random.Random) -> CallCase:
    carrier = rng.choice(list(CARRIER_NAMES))
    tracking = _tracking_number(carrier, rng)
    named = rng.random() < 0.5
    arguments: dict[str, object] = {"tracking_number": tracking}
    if named:
        arguments["carrier"] = carrier
    text = request(
        rng.choice(
            (
                "where is my {carrier}package {tracking}",
                "track {carrier}{tracking}",
                "[any news on|status of] {carrier}shipment {tracking}",
            )
        ),
        rng,
        carrier=f"{CARRIER_NAMES[carrier]} " if named else "",
        tracking=tracking,
    )
    if rng.random() < 0.15:
        result = to_json({"error": "unknown tracking number", "tracking_number": tracking})
        return one_call(
            text,
            "track_package",
            arguments,
            result,
            f"The carrier doesn't know tracking number {tracking}; please double-check it.",
            (tracking,),
            ("carrier",),
        )
    status, place, eta = (
        rng.choice(("In transit", "Out for delivery", "Held at customs")),
        rng.choice(PLACES),
        pick_date(rng)[0],
    )
    result = to_json({"status": status, "last_location": place, "estimated_delivery": eta})
    answer = f"{status} - last seen in {place}, expected {eta}."
    return one_call(text, "track_package", arguments, result, answer, (status, place, eta), ("carrier",))


def estimate_shipping(rng: random.Random) -> CallCase:
    origin, destination = rng.sample(list(COUNTRIES), 2)
    weight = rng.choice((0.5, 1, 2, 2.5, 5, 12))
    express = rng.random() < 0.3
    arguments: dict[str, object] = {
        "weight_kg": weight,
        "origin_country": origin,
        "destination_country": destination,
    }
    if express:
        arguments["service"] = "express"
    text = request(
        rng.choice(
            (
                "how much [does it cost|is it] to ship a {weight} kg parcel from {origin} to {destination}{express}",
                "shipping cost for {weight} kg from {origin} to {destination}{express}",
            )
        ),
        rng,
        weight=weight,
        origin=COUNTRIES[origin],
        destination=COUNTRIES[destination],
        express=" by express" if express else "",
    )
    price = round((9.5 + weight * 3.2) * (1.8 if express else 1), 2)
    days = "1-2" if express else "3-6"
    result = to_json({"price": price, "currency": "EUR", "transit_days": days})
    answer = f"About {price} EUR, arriving in {days} business days."
    return one_call(
        text,
        "estimate_shipping",
        arguments,
        result,
        answer,
        (str(price), days),
        ("origin_country", "destination_country", "service"),
    )


SHIPPING_SET = ToolSet(
    name="shipping",
    tools=SHIPPING,
    capabilities={"track_package": "track parcels", "estimate_shipping": "estimate shipping costs"},
    scenarios={"track_package": (track_package,), "estimate_shipping": (estimate_shipping,)},
    questions=(
        Question(
            ("what does 'out for delivery' mean",),
            "The parcel is on the delivery vehicle and should arrive later that day.",
        ),
        Question(
            ("what is a customs declaration",),
            "A form listing what a parcel contains, its value and origin, so customs can work out duties and taxes.",
        ),
        Question(
            ("what's the difference between DDP and DAP",),
            "With DDP (Delivered Duty Paid) the seller pays import duties and taxes; with DAP (Delivered at Place) "
            "the buyer pays them on arrival.",
        ),
        Question(
            ("why is my parcel held at customs", "what does held at customs mean"),
            "Customs is checking it, usually for missing paperwork or unpaid duties; the carrier contacts the receiver if something is owed.",
        ),
    ),
    unsupported=(
        Unsupported(
            ("change the delivery address for {tracking}", "redirect parcel {tracking} to my office"),
            "change delivery addresses",
            {"tracking": ("1Z4829301746352817", "483920175630")},
        ),
        Unsupported(("schedule a pickup for tomorrow morning",), "schedule pickups"),
        Unsupported(
            ("file a claim for my damaged package", "my parcel arrived broken - claim a refund"),
            "file damage claims",
        ),
        Unsupported(
            ("print a shipping label for a parcel to {country}",),
            "create shipping labels",
            {"country": tuple(COUNTRIES.values())},
        ),
    ),
    aliases={
        "track_package": ("track_shipment", "parcel_status", "trackPackage"),
        "estimate_shipping": ("shipping_quote", "get_shipping_rate", "estimateShipping"),
    },
)
