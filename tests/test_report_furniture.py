"""Page furniture in the report (issue 15): never a discrepancy, shown as not spoken, front matter's title used."""

from synthetic import result_from_texts
from transcheck.report_view import build_rows

PRINTED = ("---\ntitle: Briefing on the Juba agreement\ndate: '2025-12-02'\nsource_url: https://example.org/b\n---\n\n"
           "Geneva, 2 December 2025\n\nMS. LOPEZ: We met the minister today.\n\nAYES\n\nAbbott, Ms Diane\n\n"
           "Adams, Nigel\n\nAfriyie, Adam\n\nMS. LOPEZ: Thank you all.\n")


def test_furniture_is_no_omission_and_is_shown_as_not_spoken():
    report = result_from_texts("we met the minister today thank you all".split(), PRINTED,
                               title=None, date=None).to_dict()
    assert report["discrepancies"] == []
    assert report["title"] == "Briefing on the Juba agreement" and report["date"] == "2025-12-02"
    rows, _ = build_rows(report)
    shown = [(p["kind"], p["text"]) for row in rows for p in row["official"] if p["kind"] != "text"]
    assert ("editorial", "Geneva, 2 December 2025") in shown
    assert ("editorial", "Adams, Nigel") in shown  # a division list spans paragraphs: each shows its part
    assert [text for kind, text in shown if kind == "word"] == "We met the minister today Thank you all".split()


def test_the_users_title_wins():
    report = result_from_texts("we met the minister today".split(), PRINTED, title="Mine", date=None).to_dict()
    assert report["title"] == "Mine"
