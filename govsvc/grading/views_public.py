"""The published A/B/C list: public, searchable by name or credit code, exportable, with charts.
Only published gradings exist here; anything else is 404."""
from __future__ import annotations

from flask import abort, render_template, request
from sqlalchemy import select

from govsvc.auth.access import public
from govsvc.exports import FORMATS, file_response
from govsvc.extensions import db
from govsvc.grading import service
from govsvc.grading.forms import PublicFilterForm
from govsvc.grading.models import PUBLISHED, GradingResult, GradingRound
from govsvc.grading.views import bp, chart_response
from govsvc.lists import keyset_list_or_export
from govsvc.web import id_arg

# (the downloads are service.public_file's; these columns name the same five for the list's helper)
PUBLIC_COLUMNS = list(zip(service.PUBLIC_HEADER, (
    lambda r: r.enterprise.credit_code, lambda r: r.enterprise.name, lambda r: r.enterprise.district,
    lambda r: r.enterprise.industry, lambda r: r.grade)))


def published_rounds() -> list[GradingRound]:
    return list(db.session.scalars(select(GradingRound).where(GradingRound.status == PUBLISHED)
                                   .order_by(GradingRound.year.desc())))


def _published(year: int) -> GradingRound:
    grading_round = db.session.scalar(select(GradingRound).where(GradingRound.year == year,
                                                                 GradingRound.status == PUBLISHED))
    return grading_round or abort(404)


@bp.route("/public")
@public
def public_list():
    rounds = published_rounds()
    form = PublicFilterForm(request.args)
    form.year.choices = [(str(r.year), f"{r.year} 年度") for r in rounds]
    if not rounds:
        return render_template("grading/public.html", round=None, form=form, page=None)
    year = id_arg(form.year.data) or rounds[0].year
    grading_round = _published(year)
    form.year.data = str(year)
    counts, districts = service.public_facts(grading_round)
    form.district.choices = [("", "全部")] + [(d, d) for d in districts]
    q, grade = (form.q.data or "")[:200], form.grade.data if form.grade.data in counts else ""
    district, industry = form.district.data or "", form.industry.data or ""
    stem = f"{year}年度企业免检免扰评级名单"
    if (fmt := request.args.get("format", "")) in FORMATS:
        body = service.public_file(grading_round, fmt, q=q, grade=grade, district=district, industry=industry)
        return file_response(body, f"{stem}.{fmt}")
    stmt = service.results_query(grading_round, q=q, grade=grade, district=district, industry=industry)
    # With no filter but the grade, the total is known from the round's counts; otherwise the
    # pages say only whether there is more (no COUNT over a city's list per request).
    total = None if q or district or industry else counts.get(grade, 0) if grade else sum(counts.values())
    # Paged by the (round, enterprise) key the results table is unique on: both databases walk that
    # index from the position and stop after a page, whatever the page's depth.
    return keyset_list_or_export(stmt, GradingResult.enterprise_id, lambda r: str(r.enterprise_id),
                                 template="grading/public.html", export_stem=stem,
                                 columns=PUBLIC_COLUMNS, total=total, form=form, round=grading_round, counts=counts)


@bp.route("/public/<int:year>/chart/<kind>.svg")
@public
def public_chart(year: int, kind: str):
    return chart_response(_published(year), kind)
