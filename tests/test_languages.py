"""Stories in other languages: accented Latin text keeps its words, and Chinese or Japanese
text (no spaces) is split into sentences, matched by character pairs and summarized."""

from __future__ import annotations

import datetime as dt

from digest.config import ThreadSettings
from digest.models import SourceRef, Story
from digest.sources.pagetext import strip_furniture
from digest.summary.summarize import ExtractiveSummarizer, normalize
from digest.text.sentences import looks_like_prose, split_sentences
from digest.text.terms import terms, word_count
from digest.threads.group import group_threads

NOW = dt.datetime(2025, 7, 31, 12, tzinfo=dt.UTC)


def story(ident: str, outlet: str, title: str, text: str) -> Story:
    """A story as ingest stores it: page furniture already removed."""
    url = f"https://{outlet.lower()}.example/{ident}"
    text = strip_furniture(text)
    return Story(ident, title, url, outlet, NOW, text, sources=(SourceRef(outlet, url),))


BOJ_A = story(
    "boj-a",
    "Nikkei",
    "日銀、政策金利を0.5%に据え置き",
    "日本銀行は31日、金融政策決定会合で政策金利を0.5%に据え置くことを決めた。"
    "植田和男総裁は記者会見で「物価の上振れリスクに注意する」と述べた。"
    "市場では円が対ドルで下落した。",
)
BOJ_B = story(
    "boj-b",
    "Asahi",
    "日銀が金利据え置き 植田総裁「物価の動向を注視」",
    "日本銀行は金融政策決定会合で、政策金利を0.5%に据え置くと決めた。"
    "据え置きは4会合連続となる。植田総裁は物価の動向を注視する考えを示した。",
)
QUAKE = story(
    "quake",
    "NHK",
    "北海道で震度5弱の地震 津波の心配なし",
    "31日午前、北海道東部で震度5弱の揺れを観測する地震があった。"
    "気象庁によると、この地震による津波の心配はないという。",
)


def test_japanese_text_splits_into_sentences_that_count_as_prose() -> None:
    sentences = split_sentences(BOJ_A.text)
    assert len(sentences) == 3
    assert all(looks_like_prose(s) for s in sentences)
    assert sentences[1].endswith("と述べた。")
    assert word_count(sentences[2]) == 8  # 15 characters: about two to a word


def test_japanese_reports_of_one_event_thread_together_and_apart_from_another() -> None:
    threads = group_threads([BOJ_A, QUAKE, BOJ_B], [], NOW, ThreadSettings())
    grouped = sorted(sorted(s.id for s in t.stories) for t in threads)
    assert grouped == [["boj-a", "boj-b"], ["quake"]]


def test_a_japanese_thread_is_summarized_with_every_sentence_cited() -> None:
    [thread] = [t for t in group_threads([BOJ_A, BOJ_B], [], NOW, ThreadSettings())]
    summary = ExtractiveSummarizer().summarize(thread, budget_words=40)

    assert summary.headline == BOJ_A.title
    assert len(summary.sentences) >= 2
    assert sum(word_count(s.text) for s in summary.sentences) <= 40
    texts = {s.id: normalize(s.text) for s in thread.stories}
    for sentence in summary.sentences:
        assert sentence.citations, sentence.text
        assert all(normalize(sentence.text) in texts[c.story_id] for c in sentence.citations)


def test_accented_words_stay_whole() -> None:
    found = terms("La réforme des retraites à Zürich")
    assert "réforme" in found and "zürich" in found


def test_a_quotation_stays_with_its_speaker_and_korean_splits_at_full_stops() -> None:
    quoted = "他说：「今天的会谈很成功。明天我们会继续讨论。」随后离开了会场。"
    assert split_sentences(quoted) == [quoted]
    korean = "정부는 오늘 새로운 경제 정책을 발표했다. 시장은 긍정적으로 반응했다."
    assert split_sentences(korean) == [
        "정부는 오늘 새로운 경제 정책을 발표했다.",
        "시장은 긍정적으로 반응했다.",
    ]


def test_short_and_mixed_sentences_count_as_prose() -> None:
    for sentence in (
        "美国官员表示满意。",
        "Appleは新型iPhone発売を発表した。",
        "２０２５年、輸出は５．５％増加した。",
    ):
        assert looks_like_prose(sentence), sentence


BUNDESTAG_A = story(
    "bt-a",
    "Tagesschau",
    "Bundestag beschließt Gesetz zur Windenergie",
    "Der Bundestag stimmte am Donnerstag mit großer Mehrheit für den Entwurf zur Windenergie.\n\n"
    "Die Länder müssen künftig zwei Prozent ihrer Fläche für Windräder ausweisen.\n\n"
    "Jetzt abonnieren: der Newsletter für Politik.\n\n"
    "Mehr zum Thema\n\n"
    "Heizungsgesetz: Was sich für Mieter ändert",
)
BUNDESTAG_B = story(
    "bt-b",
    "Spiegel",
    "Windkraft: Bundestag stimmt für schnelleren Ausbau",
    "Für den schnelleren Ausbau der Windenergie stimmte der Bundestag am Donnerstag.\n\n"
    "Künftig müssen die Länder zwei Prozent der Fläche für Windräder bereitstellen.",
)


def test_german_and_other_european_prose_is_prose_and_their_menus_are_not() -> None:
    for sentence in (
        "Der Bundestag stimmte mit großer Mehrheit für den Entwurf.",
        "La inflación bajó al 1,9% en mayo, según el instituto.",
        "De regering heeft dinsdag een nieuwe wet aangenomen over windenergie.",
        "O governo aprovou na terça-feira uma nova lei sobre energia eólica.",
    ):
        assert looks_like_prose(sentence), sentence
    assert not looks_like_prose("Home Nachrichten Sport Wirtschaft Kultur Politik Panorama.")


def test_a_german_thread_is_summarized_from_its_prose_not_its_teasers() -> None:
    [thread] = group_threads([BUNDESTAG_A, BUNDESTAG_B], [], NOW, ThreadSettings())
    summary = ExtractiveSummarizer().summarize(thread, budget_words=40)

    said = [s.text for s in summary.sentences]
    prose = {s for story in (BUNDESTAG_A, BUNDESTAG_B) for s in story.text.split("\n\n")[:2]}
    assert said and set(said) <= prose  # never the promo or the teaser
    assert sum("zwei Prozent" in s for s in said) == 1  # one fact once
