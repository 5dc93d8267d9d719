"""A translation API: translate text, detect its language."""

# ruff: noqa: E501 - data tables read better unwrapped

from __future__ import annotations

import random

from punie.data.generator.toolsets.base import (
    CallCase,
    Question,
    ToolSet,
    Unsupported,
    make_tool,
    one_call,
    request,
    string,
    to_json,
)

LANGUAGES = {"fr": "French", "es": "Spanish", "de": "German", "it": "Italian", "pt": "Portuguese"}
PHRASES = {
    "Good morning": {
        "fr": "Bonjour",
        "es": "Buenos días",
        "de": "Guten Morgen",
        "it": "Buongiorno",
        "pt": "Bom dia",
    },
    "Thank you very much": {
        "fr": "Merci beaucoup",
        "es": "Muchas gracias",
        "de": "Vielen Dank",
        "it": "Grazie mille",
        "pt": "Muito obrigado",
    },
    "Where is the train station?": {
        "fr": "Où est la gare ?",
        "es": "¿Dónde está la estación de tren?",
        "de": "Wo ist der Bahnhof?",
        "it": "Dov'è la stazione?",
        "pt": "Onde fica a estação de trem?",
    },
    "The meeting is tomorrow": {
        "fr": "La réunion est demain",
        "es": "La reunión es mañana",
        "de": "Das Meeting ist morgen",
        "it": "La riunione è domani",
        "pt": "A reunião é amanhã",
    },
    "How much does this cost?": {
        "fr": "Combien ça coûte ?",
        "es": "¿Cuánto cuesta esto?",
        "de": "Wie viel kostet das?",
        "it": "Quanto costa questo?",
        "pt": "Quanto custa isso?",
    },
}

TRANSLATION = (
    make_tool(
        "translate_text",
        "Translate text into another language.",
        {
            "text": string("Text to translate."),
            "target_language": string("ISO 639-1 code of the language to translate into, e.g. fr."),
            "source_language": string("ISO 639-1 code of the text's language (detected when omitted)."),
        },
        ["text", "target_language"],
    ),
    make_tool(
        "detect_language",
        "Detect the language of a text.",
        {"text": string("The text.")},
        ["text"],
    ),
)


def translate_text(rng: random.Random) -> CallCase:
    english = rng.choice(list(PHRASES))
    code = rng.choice(list(LANGUAGES))
    arguments: dict[str, object] = {"text": english, "target_language": code}
    from_english = rng.random() < 0.25
    if from_english:
        arguments["source_language"] = "en"
    text = request(
        rng.choice(
            (
                "translate {text} {source}into {language}",
                "how do you say {text} in {language}",
                "{text} in {language}{source_tail} please",
            )
        ),
        rng,
        text=f'"{english}"',
        language=LANGUAGES[code],
        source="from English " if from_english else "",
        source_tail=" (it's English)" if from_english else "",
    )
    translated = PHRASES[english][code]
    result = to_json({"translated_text": translated, "source_language": "en", "target_language": code})
    answer = f'In {LANGUAGES[code]}: "{translated}"'
    return one_call(
        text,
        "translate_text",
        arguments,
        result,
        answer,
        (translated,),
        ("target_language", "source_language"),
    )


def detect_language(rng: random.Random) -> CallCase:
    english = rng.choice(list(PHRASES))
    code = rng.choice(list(LANGUAGES))
    foreign = PHRASES[english][code]
    text = request(
        rng.choice(
            ("what language is {text}", "detect the language of {text}", "which language is this: {text}")
        ),
        rng,
        text=f'"{foreign}"',
    )
    confidence = round(rng.uniform(0.9, 0.99), 2)
    result = to_json({"language": code, "confidence": confidence})
    answer = f"That's {LANGUAGES[code]} ({code}, confidence {confidence})."
    return one_call(text, "detect_language", {"text": foreign}, result, answer, (code, str(confidence)))


TRANSLATION_SET = ToolSet(
    name="translation",
    tools=TRANSLATION,
    capabilities={"translate_text": "translate text", "detect_language": "detect a text's language"},
    scenarios={"translate_text": (translate_text,), "detect_language": (detect_language,)},
    questions=(
        Question(
            ("how many languages are spoken in the world",),
            "Roughly 7,000 languages are spoken today, many of them by small communities.",
        ),
        Question(
            ("what is the most spoken language", "which language has the most speakers"),
            "English has the most speakers overall when second-language speakers count; Mandarin Chinese has the "
            "most native speakers.",
        ),
        Question(
            ("what's the difference between translation and localization",),
            "Translation converts the text; localization adapts the whole product - dates, currencies, units, tone "
            "and images - for a region.",
        ),
        Question(
            ("which language is Portuguese closest to",),
            "Spanish and Galician; Portuguese and Spanish speakers can often read each other fairly well.",
        ),
    ),
    unsupported=(
        Unsupported(("transcribe [this|my] voice memo", "turn this recording into text"), "transcribe audio"),
        Unsupported(
            ("read this [text|sentence] aloud in {language}",),
            "speak text aloud",
            {"language": tuple(LANGUAGES.values())},
        ),
        Unsupported(("find me a {language} tutor",), "find tutors", {"language": tuple(LANGUAGES.values())}),
    ),
    aliases={
        "translate_text": ("translate", "text_translate", "translateText"),
        "detect_language": ("identify_language", "language_detect", "detectLanguage"),
    },
    self_answerable=("translate_text",),
    substitutes=("detect_language",),
)
