"""Scoring rules, one by one: each rule has a passing and a failing case."""

from __future__ import annotations

import pytest

from punie.calls.types import Tool
from punie.eval.cases import Expected, case_from_dict
from punie.eval.metrics import aggregate, percentile
from punie.eval.results import CaseRun, RecordedCall
from punie.eval.scoring import argument_failures, has_call_markers, normalise_text, score_case, value_matches

WEATHER = Tool(
    "get_weather",
    "Weather for a city.",
    {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "days": {"type": "integer"},
            "threshold": {"type": "number"},
            "metric": {"type": "boolean"},
            "fields": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["city"],
    },
)


# --- strings ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("actual", ["San Francisco", "san francisco", "  SAN-FRANCISCO. ", "san_francisco"])
def test_strings_match_after_normalising_case_spaces_and_punctuation(actual: str) -> None:
    assert value_matches(actual, "San Francisco", {"type": "string"})


@pytest.mark.parametrize("actual", ["San Jose", "SanFranciscoCA", 42, None])
def test_strings_that_differ_in_letters_or_type_fail(actual: object) -> None:
    assert not value_matches(actual, "San Francisco", {"type": "string"})


def test_normalise_text_drops_punctuation_and_whitespace_only() -> None:
    assert normalise_text(" Django-Views.\t(v2) ") == "djangoviewsv2"
    assert normalise_text("a+b") == "a+b"  # '+' is a symbol, not punctuation


# --- numbers ---------------------------------------------------------------------------------------------
def test_an_integer_is_accepted_for_a_number() -> None:
    assert value_matches(3, 3.0, {"type": "number"})
    assert value_matches(2.5, 2.5, {"type": "number"})


def test_a_float_is_not_accepted_for_an_integer() -> None:
    assert value_matches(20000, 20000, {"type": "integer"})
    assert not value_matches(20000.0, 20000, {"type": "integer"})


def test_numbers_must_be_equal_and_not_strings_or_booleans() -> None:
    assert not value_matches(4, 3, {"type": "integer"})
    assert not value_matches("3", 3, {"type": "integer"})
    assert not value_matches(True, 1, {"type": "integer"})


def test_without_a_schema_the_allowed_value_decides_the_type() -> None:
    assert value_matches(3, 3.0, None)  # number: int accepted
    assert not value_matches(3.0, 3, None)  # integer: float refused


# --- booleans, lists ---------------------------------------------------------------------------------------
def test_booleans_are_strict() -> None:
    assert value_matches(True, True, {"type": "boolean"})
    assert not value_matches("true", True, {"type": "boolean"})
    assert not value_matches(1, True, {"type": "boolean"})
    assert not value_matches(False, True, {"type": "boolean"})


def test_lists_match_element_by_element_in_order() -> None:
    schema = {"type": "array", "items": {"type": "string"}}
    assert value_matches(["Temp", "wind"], ["temp", "Wind"], schema)
    assert not value_matches(["wind", "temp"], ["temp", "wind"], schema)
    assert not value_matches(["temp"], ["temp", "wind"], schema)
    assert not value_matches("temp", ["temp"], schema)


# --- parameters --------------------------------------------------------------------------------------------
def test_arguments_pass_when_every_listed_parameter_matches() -> None:
    expected = Expected("tool_call", ("get_weather",), {"city": ["Paris", "Paris, France"], "days": [3]})
    assert argument_failures({"city": "paris france", "days": 3}, expected, WEATHER) == []


def test_a_listed_parameter_left_out_fails_unless_optional() -> None:
    expected = Expected("tool_call", ("get_weather",), {"city": ["Paris"], "days": [3]})
    assert argument_failures({"city": "Paris"}, expected, WEATHER) == ["missing 'days'"]
    optional = Expected("tool_call", ("get_weather",), {"city": ["Paris"], "days": [3]}, frozenset({"days"}))
    assert argument_failures({"city": "Paris"}, optional, WEATHER) == []


def test_an_optional_parameter_that_is_given_must_still_match() -> None:
    optional = Expected("tool_call", ("get_weather",), {"days": [3]}, frozenset({"days"}))
    assert argument_failures({"city": "Paris", "days": 5}, optional, WEATHER) == ["days=5 not in [3]"]


def test_a_parameter_not_in_the_schema_fails() -> None:
    expected = Expected("tool_call", ("get_weather",), {"city": ["Paris"]})
    assert argument_failures({"city": "Paris", "country": "FR"}, expected, WEATHER) == [
        "unknown parameter 'country'"
    ]


def test_unlisted_schema_parameters_are_not_checked() -> None:
    expected = Expected("tool_call", ("get_weather",), {"city": ["Paris"]})
    assert argument_failures({"city": "Paris", "metric": "yes"}, expected, WEATHER) == []


# --- whole cases ---
def _case(expected: dict, tools: list[Tool] = (WEATHER,)) -> object:  # type: ignore[assignment]
    return case_from_dict(
        {
            "id": "c",
            "messages": [{"role": "user", "content": "weather?"}],
            "tools": [t.to_openai() for t in tools],
            "expected": expected,
        },
        "test:1",
    )


def _call(name: str, arguments: str) -> RecordedCall:
    return RecordedCall.from_wire(name, arguments)


def test_a_correct_call_scores_on_every_count() -> None:
    case = _case({"kind": "tool_call", "name": "get_weather", "arguments": {"city": ["Paris"]}})
    score = score_case(case, CaseRun("c", calls=[_call("get_weather", '{"city": "Paris"}')]))
    assert (score.decision_ok, score.name_ok, score.arguments_ok, score.format_ok) == (True, True, True, True)


def test_no_call_when_one_is_expected_fails_decision_name_and_arguments() -> None:
    case = _case({"kind": "tool_call", "name": "get_weather"})
    score = score_case(case, CaseRun("c", content="It is sunny."))
    assert (score.decision_ok, score.name_ok, score.arguments_ok) == (False, False, False)
    assert score.format_attempted is False and score.format_ok is None


def test_a_call_when_a_direct_answer_is_expected_fails_the_decision() -> None:
    score = score_case(_case({"kind": "direct"}), CaseRun("c", calls=[_call("get_weather", '{"city": "x"}')]))
    assert score.decision_ok is False and score.called is True
    assert score.name_ok is None and score.arguments_ok is None


def test_a_wrong_tool_name_fails_name_and_arguments_but_not_the_decision() -> None:
    other = Tool("get_time", "", {"type": "object", "properties": {"city": {"type": "string"}}})
    case = _case({"kind": "tool_call", "name": "get_weather"}, [WEATHER, other])
    score = score_case(case, CaseRun("c", calls=[_call("get_time", '{"city": "Paris"}')]))
    assert (score.decision_ok, score.name_ok, score.arguments_ok) == (True, False, False)


def test_any_of_a_list_of_names_is_accepted() -> None:
    other = Tool("get_time", "", {"type": "object", "properties": {"city": {"type": "string"}}})
    case = _case({"kind": "tool_call", "name": ["get_weather", "get_time"]}, [WEATHER, other])
    score = score_case(case, CaseRun("c", calls=[_call("get_time", '{"city": "Paris"}')]))
    assert score.name_ok is True and score.arguments_ok is True


def test_wrong_arguments_fail_arguments_only() -> None:
    case = _case({"kind": "tool_call", "name": "get_weather", "arguments": {"city": ["Paris"]}})
    score = score_case(case, CaseRun("c", calls=[_call("get_weather", '{"city": "Lyon"}')]))
    assert (score.decision_ok, score.name_ok, score.arguments_ok) == (True, True, False)
    assert any("Lyon" in note for note in score.notes)


def test_call_text_left_in_the_content_is_an_invalid_format() -> None:
    text = "<tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</function>"
    score = score_case(_case({"kind": "tool_call", "name": "get_weather"}), CaseRun("c", content=text))
    assert score.format_attempted is True and score.format_ok is False
    assert score.decision_ok is False
    assert any(note.startswith("qwen3_xml: ") for note in score.notes)  # the parser says what is wrong


def test_a_clean_call_the_server_did_not_structure_is_invalid_with_a_diagnostic() -> None:
    text = "<tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n</function>\n"
    text += "</tool_call>"
    score = score_case(_case({"kind": "tool_call", "name": "get_weather"}), CaseRun("c", content=text))
    assert score.format_ok is False and score.called is False
    assert any("parses it as get_weather" in note for note in score.notes)


def test_stray_call_markup_beside_returned_calls_is_invalid_and_says_the_call_came_back() -> None:
    run = CaseRun("c", content="</tool_call>", calls=[_call("get_weather", '{"city": "Paris"}')])
    score = score_case(_case({"kind": "tool_call", "name": "get_weather"}), run)
    assert score.called and score.name_ok and score.format_ok is False
    assert "call text left in the content: beside the returned calls" in score.notes


def test_call_arguments_that_are_not_json_are_an_invalid_format() -> None:
    case = _case({"kind": "tool_call", "name": "get_weather"})
    score = score_case(case, CaseRun("c", calls=[_call("get_weather", "{city: Paris")]))
    assert score.format_ok is False and score.arguments_ok is False


def test_server_raw_text_that_does_not_parse_is_an_invalid_format() -> None:
    raw = "<tool_call>\n<function=get_weather>\n<parameter=city>\nParis"
    run = CaseRun("c", content="", raw_text=raw, raw_text_source="server")
    score = score_case(_case({"kind": "direct"}), run)
    assert score.format_attempted is True and score.format_ok is False


def test_plain_prose_is_not_a_call_attempt() -> None:
    assert not has_call_markers("Dependency injection passes collaborators in from outside.")
    assert has_call_markers('```json\n{"name": "read_file", "arguments": {}}\n```')
    assert has_call_markers("<function=read_file>")


# --- aggregation ---
def test_aggregate_counts_the_confusion_matrix_precision_and_recall() -> None:
    tool_case = _case({"kind": "tool_call", "name": "get_weather", "arguments": {"city": ["Paris"]}})
    direct_case = _case({"kind": "direct"})
    good = CaseRun("a", calls=[_call("get_weather", '{"city": "Paris"}')], total_s=1.0, ttft_s=0.5)
    bad_args = CaseRun("b", calls=[_call("get_weather", '{"city": "Rome"}')], total_s=2.0, ttft_s=0.5)
    missed = CaseRun("c", content="no idea", total_s=3.0, ttft_s=1.0)
    false_call = CaseRun("d", calls=[_call("get_weather", '{"city": "x"}')], total_s=4.0, ttft_s=1.0)
    right_direct = CaseRun("e", content="answer", total_s=5.0, ttft_s=2.0)
    pairs = [
        (tool_case, good),
        (tool_case, bad_args),
        (tool_case, missed),
        (direct_case, false_call),
        (direct_case, right_direct),
    ]
    scores = [score_case(case, run) for case, run in pairs]
    result = aggregate(scores, [run for _, run in pairs])
    assert result["confusion"] == {
        "tool_expected": {"called": 2, "not_called": 1},
        "direct_expected": {"called": 1, "not_called": 1},
    }
    assert result["decision_accuracy"] == pytest.approx(3 / 5)
    assert result["call_precision"] == pytest.approx(2 / 3)
    assert result["call_recall"] == pytest.approx(2 / 3)
    assert result["tool_name_accuracy"] == pytest.approx(2 / 3)
    assert result["argument_accuracy"] == pytest.approx(1 / 3)
    assert result["argument_accuracy_given_name"] == pytest.approx(1 / 2)
    assert result["format_validity"] == pytest.approx(1.0) and result["format_attempts"] == 3
    assert result["latency"]["total_s"]["median"] == pytest.approx(3.0)
    assert result["latency"]["ttft_s"]["p90"] == pytest.approx(1.6)


def test_ratios_are_none_when_nothing_is_eligible() -> None:
    score = score_case(_case({"kind": "direct"}), CaseRun("e", content="answer"))
    result = aggregate([score], [CaseRun("e", content="answer")])
    assert result["tool_name_accuracy"] is None and result["call_precision"] is None
    assert result["decision_accuracy"] == 1.0


def test_percentile_interpolates() -> None:
    assert percentile([1, 2, 3, 4], 0.5) == pytest.approx(2.5)
    assert percentile([], 0.5) is None
