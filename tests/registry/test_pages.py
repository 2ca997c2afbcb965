"""Registry list pages: search, filter, pagination, CSV/XLSX export."""
import io

from openpyxl import load_workbook

from govsvc.extensions import db


def test_enterprise_list_search_filter_page_export(client, login_as, factory, app):
    app.config["PAGE_SIZE"] = 5
    for i in range(12):
        factory.enterprise(name=f"博山陶瓷{i:02d}有限公司", district="博山区" if i % 2 else "张店区")
    special = factory.enterprise(name="=HYPERLINK(\"x\")", district="淄川区")
    db.session.commit()
    login_as("admin")
    html = client.get("/registry/enterprises").get_data(as_text=True)
    assert "共 13 条" in html and 'rel="next"' in html
    html = client.get("/registry/enterprises?district=博山区").get_data(as_text=True)
    assert "共 6 条" in html
    html = client.get("/registry/enterprises?q=陶瓷03").get_data(as_text=True)
    assert "共 1 条" in html
    html = client.get(f"/registry/enterprises?q={special.credit_code}").get_data(as_text=True)
    assert "共 1 条" in html
    csv_text = client.get("/registry/enterprises?format=csv").get_data(as_text=True)
    assert csv_text.count("\n") == 14  # header + 13 rows, not just one page
    assert "'=HYPERLINK" in csv_text  # formulas neutralised
    xlsx = client.get("/registry/enterprises?district=博山区&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 7 and sheet.cell(1, 1).value == "统一社会信用代码"


def test_enterprise_detail_shows_tax_and_group(client, login_as, factory):
    head = factory.enterprise(name="母公司", group_name="G", group_head=True, tax={2025: "1234.5"})
    factory.enterprise(name="子公司", group_name="G")
    db.session.commit()
    login_as("justice")
    html = client.get(f"/registry/enterprises/{head.id}").get_data(as_text=True)
    assert "1,234.50" in html and "子公司" in html
    assert client.get("/registry/enterprises/99999").status_code == 404


def test_unit_discipline_sees_only_its_own_persons(client, login_as, factory):
    mine, other = factory.unit("MINE"), factory.unit("OTHER")
    factory.person(mine, name="自己人")
    factory.person(other, name="外单位人")
    db.session.commit()
    login_as("discipline", unit=mine)
    html = client.get("/registry/persons").get_data(as_text=True)
    assert "自己人" in html and "外单位人" not in html


def test_units_filter(client, login_as, factory):
    factory.unit("AAA", survey_category="service")
    factory.unit("BBB", survey_category="enforcement", enforcement=True)
    db.session.commit()
    login_as("justice")
    html = client.get("/registry/units?survey_category=service").get_data(as_text=True)
    assert "AAA" in html and "BBB" not in html


def test_tax_list_pages_whole_rows(client, login_as, factory):
    factory.enterprise(name="纳税企业甲", tax={2024: "100", 2025: "250.5"})
    db.session.commit()
    login_as("admin")
    html = client.get("/registry/tax").get_data(as_text=True)
    assert "共 2 条" in html and "纳税企业甲" in html and "250.50" in html
