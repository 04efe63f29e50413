"""The kind of answer a question asks for (a share, a sum of money) and whether a sentence states one."""

from __future__ import annotations

import pytest

from assistant.ask.answer_types import MONEY, NUMBER, SHARE, SPAN, TIMES, asked_kind, number_context, states
from assistant.text.tokens import stem


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What percentage of staff at Welsh universities are EU nationals?", SHARE),
        ("What share of the market does the company hold?", SHARE),
        ("How much money will the Government spend on laptops?", MONEY),
        ("How much federal grant money did the farm receive?", MONEY),  # the money named after a word or two
        ("How much did the new bridge cost?", MONEY),
        ("What did the stadium cost?", MONEY),
        # An amount asked for in a currency is a sum of money, whatever noun carries it.
        ("What was the value in dollars of Russian-Mongolian trade in 2018?", MONEY),
        ("How much did the exports come to in US dollars?", MONEY),
        ("How much will Russia invest in the project?", MONEY),
        ("What was the budget of the programme?", MONEY),
        ("How much did the mayor say building the new space centre in the capital would cost?", MONEY),
        # Amounts of other things, and changes, are no sum of money.
        ("How much grain did Russia export?", None),
        ("How much time did the delegation spend in Minsk?", None),
        ("How much did trade grow in 2019?", None),
        ("How many people live on the island?", NUMBER),
        ("How many percent of voters took part?", SHARE),
        ("What did the minister say about costs?", None),
        # A sum of money by its name, or in a currency.
        ("What net profit did the bank say it made last year?", MONEY),
        ("And what was the consolidated revenue?", MONEY),
        ("What dollar value did the ambassador put on bilateral trade?", MONEY),
        ("How many roubles did the partners invest for each rouble of the fund?", MONEY),
        # The sum named by what it is the price of, the money noun heading the phrase before its verb.
        ("What gas price did the president say his country was ready to pay?", MONEY),
        ("What minimum wage figure did the union leader give?", MONEY),
        ("What fuel price rises did the minister expect?", None),  # the money noun heads no phrase
        ("How much Horizon 2020 research income did the universities receive?", MONEY),
        ("How much gas did the company deliver?", None),
        # A value is a sum of money.
        ("What total investment did the deputy governor say the projects were worth, at the board meeting?", MONEY),
        ("How much is the deal worth?", MONEY),
        ("What did he say was worth remembering?", None),
        # "What figure…" asks for a number (any amount: a share or a sum states one too), not for a sum of money.
        ("What figure did the governor give for unemployment?", NUMBER),
        ("Which figures did the minister give for the market in 2015 and 2016?", NUMBER),
        ("What figure of speech did he use?", None),
        # How many times something happened: the nth time answers it.
        ("How many times had he and Putin met since 2013?", TIMES),
        # A count of units of time: a span of time answers it.
        ("How many hours of sleep did Putin say he was getting?", SPAN),
    ],
)
def test_asked_kind(question: str, kind: str | None) -> None:
    assert asked_kind(question) == kind


@pytest.mark.parametrize(
    ("text", "kind", "stated"),
    [
        ("Only 40 per cent of the mobility funding is paid for by Erasmus+.", SHARE, True),
        ("Inflation reached 7.4% in March.", SHARE, True),
        ("Half of the staff come from abroad.", SHARE, True),
        ("Many of our staff come from the EU.", SHARE, False),
        ("We will spend £10 million on devices.", MONEY, True),
        ("Investment exceeded 31 billion rubles.", MONEY, True),
        ("There will be some flexibility around this money.", MONEY, False),
        ("We bought 4 new ferries.", MONEY, False),
        ("CCTV cameras are installed at most polling stations.", NUMBER, False),
        ("Cameras are installed at 90,000 polling stations.", NUMBER, True),
        ("The M-11 Motorway opened in 2019.", NUMBER, False),
        # A decade is a time: "the last such aircraft was made back in the 1980s" counts nothing.
        ("The last such aircraft was manufactured at the Kazan plant back in the 1980s.", NUMBER, False),
        ("Prices fell in the '90s and again in the 2010s.", NUMBER, False),
        ("Some 1,500 cars were made in the 1980s.", NUMBER, True),
        ("Video surveillance is one of the effective ways of public control.", NUMBER, False),
        ("One of the 12 regions voted online.", NUMBER, True),
        ("We met twice this year.", NUMBER, True),
        ("Thousands of volunteers took part.", NUMBER, True),
        # Numbers written out, of every decade: "seventeen regions", "eighty ventilators a week".
        ("Seventeen regions voted online.", NUMBER, True),
        ("We now produce eighty ventilators a week.", NUMBER, True),
        # An ordinal in digits says which one, not how many; but the 37th meeting is the 37th time they met.
        ("Greetings on the 30th anniversary of the customs service.", NUMBER, False),
        ("The region rose from the 52nd to the 16th place.", NUMBER, False),
        ("This is our 37th meeting since 2013.", TIMES, True),
        ("This is our 37th meeting since 2013.", NUMBER, False),
        # A multiple or a span of time says how much something changed, or for how long, not how many.
        ("Deliveries to the Navy increased almost three-fold over the past five years.", NUMBER, False),
        ("Online payments grew 1.8 times.", NUMBER, False),
        ("Exports increased five times in a decade.", NUMBER, False),
        ("It is two times more expensive now.", NUMBER, False),
        # A whole number of times said of no change counts how often something happened.
        ("Each owner was checked 6,695 times up until May.", NUMBER, True),
        ("We delivered 40 ships to the Navy.", NUMBER, True),
        ("Six hours, six hours a day.", SPAN, True),
        ("Six hours, six hours a day.", NUMBER, False),
    ],
)
def test_states(text: str, kind: str, stated: bool) -> None:
    assert states(text, kind) is stated


def _weights(*words: str) -> dict[str, float]:
    return {stem(w): 1.0 for w in words}


def test_number_context_is_the_share_of_question_words_beside_a_number() -> None:
    # "How many aircraft did the airline's fleet have?": the fleet and the aircraft stand beside the number.
    near = ["The airline has a fleet of 359 aircraft, and its low-cost arm flies 40 more."]
    assert number_context(near, _weights("aircraft", "fleet"), window=10) == 1.0
    # "How many helicopters a year can the plants make?": the number counts projects; the helicopters come later.
    far = ["The holding has implemented 72 equipment modernisation projects, and above all it has upgraded "
           "the engineering facilities of its plants that manufacture helicopters and planes."]
    assert number_context(far, _weights("helicopters", "manufacture"), window=10) == 0.0
    assert number_context(far, _weights("helicopters", "manufacture"), window=30) == 1.0
    # Half the question's weight beside the number.
    assert number_context(["We built 12 schools this year; the roads were repaired too."], _weights("schools", "roads"), window=2) == 0.5


def test_number_context_without_a_number_or_without_words_to_look_for() -> None:
    # No amount (a year and a date are none): nothing stands beside a number.
    assert number_context(["The plant opened in 2019, on 5 March, to great acclaim."], _weights("plant"), window=10) == 0.0
    # Every question word is already carried by the title or the speaker: nothing to look for, no evidence against.
    assert number_context(["We sold 5 planes."], {}, window=10) == 1.0


@pytest.mark.parametrize(
    ("question", "text", "stated"),
    [
        # An amount with no currency beside it, followed by a plural noun, counts that noun: "million" is a scale.
        ("How much state funding did the society receive in its first year?",
         "Yes, the project has received over 400 million views, and this is what we were able to calculate.", False),
        ("How much state funding did the society receive in its first year?", "It received 400 million rubles.", True),
        # A sum stated as the value of a thing, or as the total of one, is that thing's.
        ("How many rubles of revenue did the corporation earn in the first quarter?",
         "We will be placing at least one trillion rubles worth of orders outside the industry every year.", False),
        ("How much did the airline pay for the launch complex?",
         "This will compensate for a share of current losses, which total 19 billion rubles, incurred during the project.", False),
        # … and answers when the question names that thing.
        ("How much meat did Russia export?", "We could export up to $4–5 billion worth of Russian meat to global markets.", True),
        ("How much were the company's losses?", "This will compensate for current losses, which total 19 billion rubles.", True),
        ("How much did the state spend on flood relief?", "In total, the state spent 7.7 billion rubles.", True),
        ("What is the programme's budget?", "The budget is 1.5 trillion.", True),
        # A unit of measure after the amount makes it a measure, not a sum.
        ("How much did the fourth power unit cost to build?", "The plants' record output was 212 billion kWh.", False),
        ("How much did the pipeline cost?", "It will carry 55 billion cubic metres a year.", False),
        ("How much did the pipeline cost?", "It will cost 55 billion euros.", True),
    ],
)
def test_a_sum_of_money_is_of_what_the_question_asks(question: str, text: str, stated: bool) -> None:
    assert states(text, MONEY, question) is stated
