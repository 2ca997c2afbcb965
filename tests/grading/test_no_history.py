"""The no-history rule through the database: the records query loads only findings, so who has
any record at all (an inspection without findings, by any unit) comes from its own query."""
from govsvc.grading import service
from govsvc.grading.models import GradingResult
from govsvc.extensions import db


def test_a_round_with_no_history_b(city, factory):
    never = factory.enterprise(name="从未检查企业")
    clean = factory.enterprise(name="检查无问题企业")
    other = factory.enterprise(name="公安检查过的企业")
    city.record(clean, "SCJ", "2024-03-03", "none")
    city.record(other, "GAJ", "2025-06-06", "none")       # a unit outside the grading
    city.record(never, "SCJ", "2021-01-01", "none")       # before the window: no history in it
    rules = service.DEFAULT_RULES_TOML.replace('no_history = "A"', 'no_history = "B"')
    grading_round = city.publish(2026, rules)
    grades = {r.enterprise.name: r for r in db.session.scalars(db.select(GradingResult)
                                                               .where(GradingResult.round_id == grading_round.id))}
    assert grades["从未检查企业"].grade == "B" and "没有任何执法检查记录" in grades["从未检查企业"].reason
    assert grades["检查无问题企业"].grade == "A" and grades["公安检查过的企业"].grade == "A"
    # and the default rule, the year after: all A
    default = city.publish(2027)
    assert {r.grade for r in db.session.scalars(db.select(GradingResult).where(GradingResult.round_id == default.id))} == {"A"}
