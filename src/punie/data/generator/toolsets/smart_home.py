"""A smart-home hub API: thermostat, lights, sensors."""

# ruff: noqa: E501 - data tables read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.toolsets.base import (
    CallCase,
    Question,
    ToolSet,
    Unsupported,
    boolean,
    integer,
    make_tool,
    number,
    one_call,
    request,
    string,
    to_json,
)

ROOMS = ("living room", "bedroom", "kitchen", "office", "hallway")
SENSORS = {"temperature": ("temperature", "°C"), "humidity": ("humidity", "%"), "co2": ("CO2 level", "ppm")}

SMART_HOME = (
    make_tool(
        "set_thermostat",
        "Set a room's target temperature.",
        {
            "room": string("Room name."),
            "temperature_c": number("Target temperature in °C."),
            "mode": string("Heating mode (default auto).", ["heat", "cool", "auto", "off"]),
        },
        ["room", "temperature_c"],
    ),
    make_tool(
        "set_light",
        "Switch a room's lights and set their brightness.",
        {
            "room": string("Room name."),
            "on": boolean("True to switch on, false to switch off."),
            "brightness": integer("Brightness in percent, 1-100."),
        },
        ["room", "on"],
    ),
    make_tool(
        "get_sensor_reading",
        "Latest reading of a room sensor.",
        {
            "sensor": string("Sensor type.", ["temperature", "humidity", "co2", "motion"]),
            "room": string("Room name."),
        },
        ["sensor", "room"],
    ),
)


def set_thermostat(rng: random.Random) -> CallCase:
    room, target = rng.choice(ROOMS), rng.choice((18, 19, 20, 21, 21.5, 22, 23))
    mode = rng.choice(("", "", "heat", "cool"))
    arguments: dict[str, object] = {"room": room, "temperature_c": target}
    templates = (
        "set the {room} [thermostat |]to {target}°C{mode}",
        "make the {room} {target} degrees Celsius{mode}",
    )
    if not mode and rng.random() < 0.3:
        mode, templates = "heat", ("[heat|warm up] the {room} to {target} °C",)
    if mode:
        arguments["mode"] = mode
    text = request(rng.choice(templates), rng, room=room, target=target, mode=f" on {mode}" if mode else "")
    current = round(target + rng.choice((-2.5, -1.0, 1.5)), 1)
    result = to_json(
        {"room": room, "target_c": target, "mode": arguments.get("mode", "auto"), "current_c": current}
    )
    answer = f"The {room} is set to {target} °C; it's {current} °C right now."
    return one_call(text, "set_thermostat", arguments, result, answer, (str(current),), ("mode",))


def set_light(rng: random.Random) -> CallCase:
    room = rng.choice(ROOMS)
    brightness = rng.choice((0, 0, 20, 50, 80))
    on = bool(brightness) or rng.random() < 0.5
    arguments: dict[str, object] = {"room": room, "on": on}
    if brightness:
        arguments["brightness"] = brightness
        template = rng.choice(
            ("dim the {room} lights to {brightness}%", "set the {room} lights to {brightness}% [brightness|]")
        )
    else:
        template = rng.choice(
            (
                "turn {state} the {room} lights",
                "switch {state} the lights in the {room}",
                "{room} lights {state}",
            )
        )
    text = request(template, rng, room=room, brightness=brightness, state="on" if on else "off")
    result = to_json({"room": room, "on": on, "brightness": brightness or (100 if on else 0)})
    answer = f"The {room} lights are {'on' if on else 'off'}" + (f" at {brightness}%." if brightness else ".")
    return one_call(text, "set_light", arguments, result, answer, (room,), ("on",))


def get_sensor_reading(rng: random.Random) -> CallCase:
    sensor, room = rng.choice(list(SENSORS)), rng.choice(ROOMS)
    label, unit = SENSORS[sensor]
    text = request(
        rng.choice(
            (
                "what's the {label} in the {room}",
                "[check|read] the {room} {label}",
                "how high is the {label} in the {room}",
            )
        ),
        rng,
        label=label,
        room=room,
    )
    value = {
        "temperature": round(rng.uniform(17, 25), 1),
        "humidity": rng.randrange(30, 70),
        "co2": rng.randrange(420, 1400),
    }[sensor]
    at = f"{rng.randrange(7, 23):02d}:{rng.randrange(60):02d}"
    result = to_json({"sensor": sensor, "room": room, "value": value, "unit": unit, "at": at})
    answer = f"The {room} {label} is {value}{'' if unit == '%' else ' '}{unit} (read at {at})."
    return one_call(
        text,
        "get_sensor_reading",
        {"sensor": sensor, "room": room},
        result,
        answer,
        (str(value), at),
        ("sensor",),
    )


SMART_HOME_SET = ToolSet(
    name="smart_home",
    tools=SMART_HOME,
    capabilities={
        "set_thermostat": "set the heating",
        "set_light": "switch lights",
        "get_sensor_reading": "read room sensors",
    },
    scenarios={
        "set_thermostat": (set_thermostat,),
        "set_light": (set_light,),
        "get_sensor_reading": (get_sensor_reading,),
    },
    questions=(
        Question(
            ("what's a comfortable room temperature",),
            "Around 20-22 °C (68-72 °F) suits most people; 16-19 °C is better for sleeping.",
        ),
        Question(
            ("what humidity is healthy indoors",),
            "About 40-60%: drier air irritates, damper air lets mold and dust mites grow.",
        ),
        Question(
            ("is 1000 ppm of CO2 indoors bad", "what CO2 level is too high indoors"),
            "Around 1000 ppm means the room needs air: not dangerous, but people get drowsy; aim for under 800 ppm.",
        ),
        Question(
            ("does turning the heating down at night save money",),
            "Yes - a lower setback for the hours you sleep or are out usually cuts heating costs by a few percent per degree.",
        ),
    ),
    unsupported=(
        Unsupported(("lock the front door", "is the back door locked"), "lock or check doors"),
        Unsupported(("show me the doorbell camera",), "show camera feeds"),
        Unsupported(("start the robot vacuum [in the {room}|]",), "run the vacuum", {"room": ROOMS}),
        Unsupported(("play some jazz in the {room}",), "play music", {"room": ROOMS}),
    ),
    aliases={
        "set_thermostat": ("thermostat_set", "set_temperature", "setThermostat"),
        "set_light": ("control_light", "switch_light", "setLight"),
        "get_sensor_reading": ("read_sensor", "sensor_value", "getSensorReading"),
    },
)
