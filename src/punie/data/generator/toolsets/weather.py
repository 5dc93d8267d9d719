"""A weather service API: current weather and forecasts."""

# ruff: noqa: E501 - data tables read better unwrapped

from __future__ import annotations

import random

from punie.calls.types import ToolCall
from punie.data.generator.phrasing import listing
from punie.data.generator.toolsets.base import (
    CallCase,
    Question,
    ToolSet,
    Unsupported,
    integer,
    make_tool,
    one_call,
    pick_date,
    request,
    string,
    to_json,
)

CITIES = (
    "Paris",
    "Tokyo",
    "Toronto",
    "Cape Town",
    "Berlin",
    "São Paulo",
    "Sydney",
    "Chicago",
    "Mumbai",
    "Oslo",
)
CONDITIONS = ("clear", "light rain", "overcast", "sunny", "snow showers", "thunderstorms", "partly cloudy")

WEATHER = (
    make_tool(
        "get_current_weather",
        "Current weather in a city.",
        {
            "city": string("City name."),
            "units": string("Unit system (default metric).", ["metric", "imperial"]),
        },
        ["city"],
    ),
    make_tool(
        "get_forecast",
        "Daily forecast for a city.",
        {
            "city": string("City name."),
            "days": integer("Number of days, 1-7."),
            "units": string("Unit system (default metric).", ["metric", "imperial"]),
        },
        ["city", "days"],
    ),
)


def _weather(city: str, imperial: bool, rng: random.Random) -> tuple[dict[str, object], str]:
    celsius = rng.randrange(-5, 33)
    temperature = round(celsius * 9 / 5 + 32) if imperial else celsius
    conditions = rng.choice(CONDITIONS)
    degree = "°F" if imperial else "°C"
    result = {
        "city": city,
        "temperature": temperature,
        "units": "imperial" if imperial else "metric",
        "conditions": conditions,
    }
    return result, f"{city}: {temperature} {degree}, {conditions}"


def get_current_weather(rng: random.Random) -> CallCase:
    template = rng.choice(
        (
            "what's the weather [like |]in {cities}{units}",
            "is it raining in {cities}",
            "current weather in {cities}{units}",
            "how warm is it in {cities}{units}",
        )
    )
    imperial = "{units}" in template and rng.random() < 0.25
    cities = rng.sample(CITIES, 2 if rng.random() < 0.2 else 1)
    text = request(template, rng, cities=listing(cities), units=" in Fahrenheit" if imperial else "")
    arguments = [{"city": city, **({"units": "imperial"} if imperial else {})} for city in cities]
    reports = [_weather(city, imperial, rng) for city in cities]
    calls = tuple(ToolCall("get_current_weather", args) for args in arguments)
    answer = "; ".join(line for _, line in reports) + "."
    quotes = tuple(str(result["conditions"]) for result, _ in reports)
    return CallCase(text, calls, tuple(to_json(result) for result, _ in reports), answer, quotes, ("units",))


def get_forecast(rng: random.Random) -> CallCase:
    city, days = rng.choice(CITIES), rng.choice((2, 3, 5))
    text = request(
        rng.choice(
            (
                "[what's the|give me the] forecast for {city} for the next {days} days",
                "{days}-day forecast for {city}",
                "will it rain in {city} in the next {days} days",
            )
        ),
        rng,
        city=city,
        days=days,
    )
    year, start = pick_date(rng)[0][:8], rng.randrange(1, 20)
    forecast = [
        {
            "date": f"{year}{start + i:02d}",
            "high": rng.randrange(10, 30),
            "low": rng.randrange(0, 10),
            "conditions": rng.choice(CONDITIONS),
        }
        for i in range(days)
    ]
    result = to_json({"city": city, "days": forecast})
    items = [f"{d['date']} {d['conditions']} ({d['low']}-{d['high']} °C)" for d in forecast]
    answer = f"{city}: {listing(items)}."
    return one_call(
        text, "get_forecast", {"city": city, "days": days}, result, answer, tuple(d["date"] for d in forecast)
    )


WEATHER_SET = ToolSet(
    name="weather",
    tools=WEATHER,
    capabilities={"get_current_weather": "get the current weather", "get_forecast": "get a forecast"},
    scenarios={"get_current_weather": (get_current_weather,), "get_forecast": (get_forecast,)},
    questions=(
        Question(
            ("why is the sky blue",),
            "Air molecules scatter short blue wavelengths of sunlight much more than red ones (Rayleigh "
            "scattering), so blue light reaches you from every direction.",
        ),
        Question(
            ("what's the difference between weather and climate",),
            "Weather is the conditions over hours or days; climate is the average pattern over decades.",
        ),
        Question(
            ("what causes thunder",),
            "Lightning heats the air around it so fast that it expands explosively; that shock wave is thunder.",
        ),
        Question(
            ("what does a 40% chance of rain mean",),
            "That any given spot in the forecast area has a 40% chance of measurable rain during that period.",
        ),
    ),
    unsupported=(
        Unsupported(
            ("notify me if it rains tomorrow", "send me an alert when a storm is coming"),
            "send weather alerts",
        ),
        Unsupported(
            ("what was the weather in {city} on July 14, 1989",), "look up past weather", {"city": CITIES}
        ),
        Unsupported(("show me the rain radar for {city}",), "show radar maps", {"city": CITIES}),
    ),
    aliases={
        "get_current_weather": ("current_weather", "weather_now", "getCurrentWeather"),
        "get_forecast": ("weather_forecast", "forecast", "getForecast"),
    },
    substitutes=("get_current_weather",),
)
