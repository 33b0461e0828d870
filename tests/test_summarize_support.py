"""The support check every self-written sentence passes: its numbers with their units, its
names, the way its changes went, its words; never a link, an email address or a word to the
reader. Quoting a source as written is always support."""

from __future__ import annotations

import pytest

from digest.summary.support import unsupported

SOURCE = (
    "Nvidia shares fell 3% in after-hours trading on Wednesday. The company said export curbs "
    "on its H20 chips would cost it $1 billion in revenue. Chief executive Jensen Huang said "
    "demand in China remained strong. Five analysts raised their price targets."
)

BORNE_OUT = {
    "a paraphrase": "Nvidia shares dropped 3% in after-hours trading.",
    "a sum written otherwise": "Export curbs will cost Nvidia $1,000 million in revenue.",
    "a small number spelled out by the source": "5 analysts raised their price targets.",
    "a demonym for a place the source names": "Chinese demand remained strong, Huang said.",
    "a number that is part of a name": "Curbs on H20 chips will cost Nvidia $1 billion.",
}
NOT_BORNE_OUT = {
    "a number the source does not give": ("Nvidia shares fell 4% after hours.", "gives 4"),
    "a small number the source does not give": ("7 analysts raised targets.", "gives 7"),
    "a number with another unit": ("Export curbs will cost Nvidia $1 million.", "gives 1"),
    "a name with another number": ("Curbs on H30 chips will cost Nvidia $1 billion.", "gives 30"),
    "a name the source does not give": ("Jensen Huang told Reuters demand was strong.", "names"),
    "a name in the sentence's first word": ("Intel said shares fell 3%.", "names Intel"),
    "a name before its shares": ("Intel shares fell 3% after hours.", "names Intel"),
    "a name before its verb": ("Intel posted a $1 billion loss.", "names Intel"),
    "a sum in another currency": ("Export curbs will cost Nvidia £1 billion.", "gives £1 billion"),
    "a change turned after its number": ("Nvidia shares were 3% up after hours.", "went up"),
    "a change turned the other way": ("Nvidia shares rose 3% after hours.", "went up"),
    "a change without a number turned": ("Five analysts lowered their price targets.", "down"),
    "a link": ("Nvidia shares fell 3%, see nvidia-news.com for more.", "link"),
    "an email address": ("Nvidia shares fell 3%; write to ir@nvidia.example.", "email"),
    "words to the reader": ("You should buy Nvidia shares after they fell 3%.", "reader"),
    "words the source does not have": ("The probe into chip smuggling widened sharply.", "what"),
}


@pytest.mark.parametrize("sentence", BORNE_OUT.values(), ids=BORNE_OUT)
@pytest.mark.parametrize("strict", [False, True], ids=["plug-in", "model"])
def test_a_sentence_its_source_bears_out_passes(sentence: str, strict: bool) -> None:
    assert unsupported(sentence, [SOURCE], strict) == ""


@pytest.mark.parametrize(("sentence", "why"), NOT_BORNE_OUT.values(), ids=NOT_BORNE_OUT)
@pytest.mark.parametrize("strict", [False, True], ids=["plug-in", "model"])
def test_a_sentence_its_source_does_not_bear_out_is_refused_saying_why(
    sentence: str, why: str, strict: bool
) -> None:
    assert why in unsupported(sentence, [SOURCE], strict)


def test_a_quote_is_support_for_a_plug_in_but_a_model_may_not_address_the_reader() -> None:
    quote = "“You never think there’s going to be an end,” she said."
    source = f"The strike entered its third month. {quote}"

    assert unsupported(quote, [source]) == ""
    assert unsupported(quote, [source], strict=True) == "speaks to the reader"


def test_a_model_sentence_must_say_which_way_its_sources_say_a_change_went() -> None:
    source = "Moore faced Democrat Doug Jones in the Alabama Senate race."

    assert unsupported("Moore lost to Democrat Doug Jones in Alabama.", [source]) == ""
    assert "went down" in unsupported(
        "Moore lost to Democrat Doug Jones in Alabama.", [source], strict=True
    )


def test_an_english_sentence_from_a_chinese_source_is_checked_for_numbers_not_words() -> None:
    # A summary in English of a Chinese report (a translation): its words and names cannot be
    # found in the source's script, so only its numbers are checked.
    source = "中国5月出口同比增长4.8%，对美国出口下降34.5%。"

    for strict in (False, True):
        assert unsupported("China's exports rose 4.8% in May.", [source], strict) == ""
        assert "gives 5.8" in unsupported("China's exports rose 5.8% in May.", [source], strict)


def test_up_and_down_before_a_number_are_changes_and_elsewhere_are_not() -> None:
    source = "Stocks were up 2% on Friday after the jobs report, and the plant was shut down."

    assert "says 2 went down" in unsupported("Stocks were down 2% on Friday.", [source])
    assert unsupported("Stocks were up 2% on Friday; the plant was shut down.", [source]) == ""


def test_more_after_a_number_is_a_count_not_a_change() -> None:
    source = "Output was cut 10% by the strike, which will last another 10 days."

    assert unsupported("The strike will last 10 more days.", [source]) == ""
