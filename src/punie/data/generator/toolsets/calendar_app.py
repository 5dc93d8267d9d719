"""A calendar API: create, list and delete events."""

# ruff: noqa: E501 - data tables read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.phrasing import listing
from punie.data.generator.toolsets.base import (
    PEOPLE,
    CallCase,
    Question,
    ToolSet,
    Unsupported,
    array,
    integer,
    make_tool,
    one_call,
    pick_date,
    pick_time,
    request,
    string,
    to_json,
)

EVENT_TITLES = (
    "Design review",
    "Dentist appointment",
    "Sprint planning",
    "Team lunch",
    "Budget sync",
    "Call with the landlord",
    "Yoga class",
    "Quarterly review",
    "Interview with Jordan",
)

CALENDAR = (
    make_tool(
        "create_event",
        "Create an event in the user's calendar.",
        {
            "title": string("Event title."),
            "date": string("Date as YYYY-MM-DD."),
            "start_time": string("Start time as HH:MM (24-hour)."),
            "duration_minutes": integer("Length in minutes (default 60)."),
            "attendees": array("Email addresses to invite.", {"type": "string"}),
        },
        ["title", "date", "start_time"],
    ),
    make_tool(
        "list_events",
        "List the events on one day.",
        {
            "date": string("Date as YYYY-MM-DD."),
            "calendar": string("Which calendar to read (default all).", ["work", "personal", "all"]),
        },
        ["date"],
    ),
    make_tool(
        "delete_event",
        "Delete a calendar event by its id.",
        {"event_id": string("The event id, e.g. evt_1234.")},
        ["event_id"],
    ),
)


def _event_id(rng: random.Random) -> str:
    return f"evt_{rng.randrange(1000, 9999)}"


def create_event(rng: random.Random) -> CallCase:
    title = rng.choice(EVENT_TITLES)
    iso, day, day_derived = pick_date(rng)
    clock, time, time_derived = pick_time(rng)
    arguments: dict[str, object] = {"title": title, "date": iso, "start_time": clock}
    extra = ""
    derived = [name for name, flag in (("date", day_derived), ("start_time", time_derived)) if flag]
    if rng.random() < 0.5:
        minutes, said = rng.choice(
            ((30, "30 minutes"), (45, "45 minutes"), (60, "an hour"), (90, "90 minutes"))
        )
        arguments["duration_minutes"] = minutes
        extra += f" for {said}"
        if said == "an hour":
            derived.append("duration_minutes")
    if rng.random() < 0.3:
        guests = rng.sample(PEOPLE, rng.choice((1, 2)))
        arguments["attendees"] = guests
        extra += f" and invite {listing(guests)}"
    text = request(
        rng.choice(
            (
                "[add|create|put|schedule] [an event|a meeting|an entry] [called|titled] {title} on {day} at {time}{extra}",
                "[put|add] {title} [in|on] my calendar [on|for] {day} at {time}{extra}",
                "schedule {title} at {time} on {day}{extra}",
            )
        ),
        rng,
        title=f'"{title}"' if rng.random() < 0.5 else title,
        day=day,
        time=time,
        extra=extra,
    )
    event = _event_id(rng)
    result = to_json(
        {"event_id": event, "title": title, "date": iso, "start_time": clock, "status": "created"}
    )
    answer = rng.choice(
        (
            f'Added "{title}" on {iso} at {clock} (event id {event}).',
            f"Done: {title} is on your calendar for {iso} at {clock} ({event}).",
        )
    )
    return one_call(text, "create_event", arguments, result, answer, (event, iso, clock), tuple(derived))


def list_events(rng: random.Random) -> CallCase:
    iso, day, derived = pick_date(rng)
    arguments: dict[str, object] = {"date": iso}
    which = rng.choice(("", "", "work", "personal"))
    if which:
        arguments["calendar"] = which
    text = request(
        rng.choice(
            (
                "what's on my {which}calendar [on|for] {day}",
                "[list|show] [my|the] {which}events [on|for] {day}",
                "do I have anything [on|scheduled for] {day}{which_tail}",
                "[what|which] meetings do I have on {day}{which_tail}",
            )
        ),
        rng,
        day=day,
        which=f"{which} " if which else "",
        which_tail=f" in my {which} calendar" if which else "",
    )
    count = rng.choice((0, 1, 2, 2, 3))
    starts = sorted(rng.sample(("09:00", "09:30", "11:00", "13:00", "14:30", "16:00"), count))
    titles = rng.sample(EVENT_TITLES, count)
    events = [
        {"id": _event_id(rng), "title": title, "start": start}
        for title, start in zip(titles, starts, strict=True)
    ]
    result = to_json({"date": iso, "events": events})
    if not events:
        return one_call(
            text,
            "list_events",
            arguments,
            result,
            f"Nothing is scheduled on {iso}.",
            (iso,),
            ("date",) if derived else (),
        )
    items = [f"{event['title']} at {event['start']}" for event in events]
    plural = "event" if len(events) == 1 else "events"
    answer = f"You have {len(events)} {plural} on {iso}: {listing(items)}."
    return one_call(
        text, "list_events", arguments, result, answer, tuple(titles + starts), ("date",) if derived else ()
    )


def delete_event(rng: random.Random) -> CallCase:
    event = _event_id(rng)
    title = rng.choice(EVENT_TITLES)
    text = request(
        rng.choice(("[delete|remove|cancel] [event|the event] {event}", "get rid of calendar event {event}")),
        rng,
        event=event,
    )
    if rng.random() < 0.2:
        result = to_json({"error": f"no event with id {event}"})
        return one_call(
            text, "delete_event", {"event_id": event}, result, f"There is no event with id {event}.", (event,)
        )
    result = to_json({"deleted": True, "event_id": event, "title": title})
    answer = rng.choice((f'Deleted {event} ("{title}").', f'Removed "{title}" ({event}) from your calendar.'))
    return one_call(text, "delete_event", {"event_id": event}, result, answer, (event, title))


CALENDAR_SET = ToolSet(
    name="calendar",
    tools=CALENDAR,
    capabilities={
        "create_event": "add events to a calendar",
        "list_events": "list calendar events",
        "delete_event": "delete calendar events",
    },
    scenarios={
        "create_event": (create_event,),
        "list_events": (list_events,),
        "delete_event": (delete_event,),
    },
    questions=(
        Question(
            ("how many days are in a leap year", "how long is a leap year"),
            "A leap year has 366 days: February gets a 29th day.",
        ),
        Question(
            ("why do we have leap years", "what's the point of leap years"),
            "A solar year is about 365.24 days, so adding a day almost every four years keeps the calendar in step "
            "with the seasons.",
        ),
        Question(("which months have 31 days",), "January, March, May, July, August, October and December."),
        Question(
            ("what's the difference between UTC and GMT", "UTC vs GMT[ - same thing|]"),
            "GMT is a time zone; UTC is the atomic-clock time standard. They show the same clock time, and UTC is "
            "the one used for timekeeping.",
        ),
        Question(
            ("what does the ISO 8601 date format look like", "how do you write a date in ISO format"),
            "ISO 8601 writes dates as YYYY-MM-DD, e.g. 2025-03-14, and times as HH:MM:SS on a 24-hour clock.",
        ),
        Question(
            ("[any|got any] tips for shorter meetings", "how do I keep meetings short"),
            "Share an agenda beforehand, invite only the people who need to decide, set a timebox and end with "
            "owners and next steps.",
        ),
    ),
    unsupported=(
        Unsupported(
            ("share my calendar with {person}", "give {person} access to my calendar"),
            "share a calendar",
            {"person": PEOPLE},
        ),
        Unsupported(
            ("[move|reschedule] {title} to [next week|tomorrow]", "change the time of {title}"),
            "change an existing event",
            {"title": EVENT_TITLES},
        ),
        Unsupported(
            ("set a reminder 10 minutes before [every|each] meeting", "remind me before {title}"),
            "set reminders",
            {"title": EVENT_TITLES},
        ),
        Unsupported(
            ("find a time when {person} and I are both free", "when is {person} free [this week|tomorrow]"),
            "check other people's availability",
            {"person": PEOPLE},
        ),
    ),
    aliases={
        "create_event": ("add_calendar_event", "schedule_event", "createEvent"),
        "list_events": ("get_events", "calendar_list_events", "listEvents"),
        "delete_event": ("remove_event", "cancel_event", "deleteEvent"),
    },
)
