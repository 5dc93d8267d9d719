"""General-knowledge questions and small talk that no tool set answers: the reply is always direct.

None of these may be something an offered tool could do (no conversions, translations, weather, dates or
arithmetic), so they stay direct whichever set is offered.
"""

# ruff: noqa: E501 - data tables read better unwrapped

from __future__ import annotations

from punie.data.generator.toolsets.base import Question

GENERAL: tuple[Question, ...] = (
    Question(("what is the capital of Australia", "what's Australia's capital"), "Canberra."),
    Question(("what is the capital of Canada",), "Ottawa."),
    Question(("who wrote Pride and Prejudice",), "Jane Austen; it was published in 1813."),
    Question(("who painted the Mona Lisa",), "Leonardo da Vinci."),
    Question(
        ("how many planets are in the solar system",),
        "Eight: Mercury, Venus, Earth, Mars, Jupiter, Saturn, Uranus and Neptune.",
    ),
    Question(("what is the largest ocean", "which ocean is the biggest"), "The Pacific Ocean."),
    Question(
        ("what is the tallest mountain [on Earth|in the world]",), "Mount Everest, 8,849 m above sea level."
    ),
    Question(
        ("how many continents are there",),
        "Seven: Africa, Antarctica, Asia, Australia (Oceania), Europe, North America and South America.",
    ),
    Question(("what is the chemical symbol for gold",), "Au."),
    Question(
        ("what is photosynthesis",),
        "The process by which plants use sunlight, water and carbon dioxide to make sugar, releasing oxygen.",
    ),
    Question(
        ("what is DNA",),
        "DNA is the molecule that carries the genetic instructions of living things, as a double helix of four bases.",
    ),
    Question(
        ("who was the first person on the moon", "who first walked on the moon"),
        "Neil Armstrong, on 20 July 1969, during Apollo 11.",
    ),
    Question(
        ("who developed the theory of relativity",),
        "Albert Einstein: special relativity in 1905 and general relativity in 1915.",
    ),
    Question(
        ("when did World War II end",),
        "In 1945: in Europe on 8 May, and in Asia on 2 September when Japan formally surrendered.",
    ),
    Question(
        ("what is the longest river in the world",),
        "The Nile is usually listed as the longest, at about 6,650 km; some measurements put the Amazon ahead.",
    ),
    Question(
        ("what's the difference between a virus and a bacterium",),
        "Bacteria are living single cells that can reproduce on their own; viruses are much smaller and can only multiply inside a host cell.",
    ),
    Question(("what is the speed of light",), "About 299,792 km per second in a vacuum."),
    Question(("what does HTTP stand for",), "HyperText Transfer Protocol."),
    Question(
        ("what is an API",),
        "An API is a defined interface that lets one program use another's functions or data.",
    ),
    Question(
        ("what is machine learning",),
        "Machine learning is building programs that learn patterns from data instead of following hand-written rules.",
    ),
    Question(
        ("what is recursion",),
        "Recursion is when a function calls itself on a smaller piece of the problem until it reaches a base case.",
    ),
    Question(
        ("what is a Python decorator", "how do decorators work in python"),
        "A decorator is a function that takes a function and returns a replacement; @name above a def applies it, e.g. to add caching or logging.",
    ),
    Question(
        ("what's the difference between a list and a tuple in Python",),
        "Lists are mutable and tuples are not; tuples can be dict keys and suit fixed records.",
    ),
    Question(
        ("what is an open source license",),
        "A license that lets anyone use, study, change and share the software, under conditions such as keeping the copyright notice.",
    ),
    Question(
        ("write a haiku about autumn",),
        "Crisp leaves drift and fall\ngolden light on quiet paths\nthe year breathes out slow",
    ),
    Question(
        ("tell me a joke", "tell me a programming joke"),
        "Why do programmers prefer dark mode? Because light attracts bugs.",
    ),
    Question(
        ("give me a tip for staying focused", "how can I focus better"),
        "Work in short blocks, like 25 minutes, with notifications off, then take a short break.",
    ),
)

GREETINGS: tuple[Question, ...] = (
    Question(("hi", "hello", "hey there", "good morning"), "Hi! How can I help?"),
)
