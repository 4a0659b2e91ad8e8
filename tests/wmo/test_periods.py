"""The period type (wmo.periods): text forms, days, order, neighbours, and its Django, URL, query,
API and command edges."""

import argparse
import datetime
import pickle

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from rest_framework import serializers

from indicators.models import IndicatorRun, IndicatorValue
from wmo.periods import HalfYear, Period, PeriodError, Quarter, Year, parse_period, periods_between
from wmo.periods.api import PeriodSerializerField
from wmo.periods.fields import PeriodField, PeriodFormField
from wmo.periods.web import QuarterConverter, period_argument, period_from_query

D = datetime.date


@pytest.mark.parametrize(("text", "period"), [
    ("2026Q3", Quarter(2026, 3)), ("2026q1", Quarter(2026, 1)), (" 2026Q4 ", Quarter(2026, 4)),
    ("2026H1", HalfYear(2026, 1)), ("2026h2", HalfYear(2026, 2)), ("2025", Year(2025)),
])  # fmt: skip
def test_parse_and_format_round_trip(text, period):
    assert parse_period(text) == period
    assert str(period) == text.strip().upper()
    assert parse_period(str(period)) is parse_period(str(period))  # cached, immutable


@pytest.mark.parametrize("text", [
    "", None, "2026Q5", "2026Q0", "2026H3", "2026H0", "2026Y", "26Q3", "0999", "2026-3", "Q3 2026",
    "2026Q31", "2026 Q3", "2026K1",
])  # fmt: skip
def test_bad_text_is_refused_in_dutch(text):
    with pytest.raises(PeriodError, match="is geen periode; gebruik de vorm 2026Q3 \\(kwartaal\\), "
                                          "2026H1 \\(halfjaar\\) of 2026 \\(jaar\\)"):  # fmt: skip
        parse_period(text)
    assert issubclass(PeriodError, ValueError)


def test_each_kind_parses_only_itself_and_says_what_it_got():
    with pytest.raises(PeriodError, match="'2026Q9' is geen kwartaal; gebruik de vorm 2026Q3."):
        Quarter.parse("2026Q9")
    with pytest.raises(PeriodError, match="'2026H1' is een halfjaar, geen kwartaal"):
        Quarter.parse("2026H1")
    with pytest.raises(
        PeriodError, match="'2026Q1' is een kwartaal, geen jaar; gebruik de vorm 2026"
    ):
        Year.parse("2026Q1")
    with pytest.raises(PeriodError, match="'2026' is een jaar, geen halfjaar"):
        HalfYear.parse("2026")
    assert HalfYear.parse("2026H2") == HalfYear(2026, 2)


def test_a_long_answer_is_not_echoed_whole():
    with pytest.raises(PeriodError) as error:
        parse_period("9" * 5000)
    assert len(str(error.value)) < 150


def test_invalid_numbers_and_the_abstract_base_are_refused():
    with pytest.raises(PeriodError):
        Quarter(2026, 5)
    with pytest.raises(PeriodError):
        HalfYear(2026, 3)
    with pytest.raises(PeriodError):
        Year(2026, 2)
    with pytest.raises(TypeError):
        Period(2026)


@pytest.mark.parametrize(("period", "start", "end", "days"), [
    (Quarter(2026, 3), D(2026, 7, 1), D(2026, 9, 30), 92),
    (Quarter(2024, 1), D(2024, 1, 1), D(2024, 3, 31), 91),  # leap year
    (Quarter(2025, 1), D(2025, 1, 1), D(2025, 3, 31), 90),
    (Quarter(2026, 4), D(2026, 10, 1), D(2026, 12, 31), 92),
    (HalfYear(2026, 1), D(2026, 1, 1), D(2026, 6, 30), 181),
    (HalfYear(2024, 1), D(2024, 1, 1), D(2024, 6, 30), 182),
    (HalfYear(2026, 2), D(2026, 7, 1), D(2026, 12, 31), 184),
    (Year(2024), D(2024, 1, 1), D(2024, 12, 31), 366),
    (Year(2025), D(2025, 1, 1), D(2025, 12, 31), 365),
])  # fmt: skip
def test_first_and_last_day(period, start, end, days):
    assert (period.start, period.end, period.days) == (start, end, days)
    assert start in period and end in period
    assert start - datetime.timedelta(days=1) not in period
    assert end + datetime.timedelta(days=1) not in period


def test_month_ends_of_each_kind():
    assert Quarter(2024, 1).month_ends == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31)]
    assert HalfYear(2026, 2).month_ends == [D(2026, 7, 31), D(2026, 8, 31), D(2026, 9, 30),
                                            D(2026, 10, 31), D(2026, 11, 30), D(2026, 12, 31)]  # fmt: skip
    year = Year(2023).month_ends
    assert len(year) == 12 and year[1] == D(2023, 2, 28) and year[-1] == D(2023, 12, 31)
    assert Year(2024).months[0] == (2024, 1) and len(Year(2024).months) == 12


def test_containing_a_date_and_the_periods_around_it():
    day = D(2026, 8, 15)
    assert Quarter.containing(day) == Quarter(2026, 3)
    assert HalfYear.containing(day) == HalfYear(2026, 2)
    assert Year.containing(day) == Year(2026)
    assert Quarter(2026, 3).half_year == HalfYear(2026, 2)
    assert Quarter(2026, 2).half_year == HalfYear(2026, 1)
    assert Quarter(2026, 3).calendar_year == HalfYear(2026, 1).calendar_year == Year(2026)
    with pytest.raises(PeriodError):
        _ = Year(2026).half_year
    assert HalfYear(2026, 2).quarters() == [Quarter(2026, 3), Quarter(2026, 4)]
    assert Year(2026).quarters() == [Quarter(2026, n) for n in (1, 2, 3, 4)]
    assert Quarter(2026, 3).quarters() == [Quarter(2026, 3)]


def test_previous_next_and_last_completed_across_year_ends():
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2026, 4).next() == Quarter(2027, 1)
    assert HalfYear(2026, 1).previous() == HalfYear(2025, 2)
    assert HalfYear(2026, 2).next() == HalfYear(2027, 1)
    assert Year(2026).next() == Year(2027) and Year(2026).previous() == Year(2025)
    assert Quarter(2026, 3).same_quarter_last_year() == Quarter(2025, 3)
    assert HalfYear(2026, 1).same_period_last_year() == HalfYear(2025, 1)
    assert Quarter.last_completed(D(2027, 1, 1)) == Quarter(2026, 4)
    assert HalfYear.last_completed(D(2026, 7, 1)) == HalfYear(2026, 1)
    assert Year.last_completed(D(2026, 12, 31)) == Year(2025)
    assert periods_between(Quarter(2025, 4), Quarter(2026, 2)) == [
        Quarter(2025, 4), Quarter(2026, 1), Quarter(2026, 2)]  # fmt: skip
    assert periods_between(Quarter(2026, 2), Quarter(2026, 1)) == []


def test_order_equality_and_hash_across_kinds():
    mixed = [Year(2026), Quarter(2026, 2), HalfYear(2026, 1), Quarter(2026, 1), Quarter(2025, 4),
             HalfYear(2025, 2), Year(2025)]  # fmt: skip
    assert sorted(mixed) == [Year(2025), HalfYear(2025, 2), Quarter(2025, 4), Quarter(2026, 1),
                             HalfYear(2026, 1), Year(2026), Quarter(2026, 2)]  # fmt: skip
    # Same year and number, different kinds: different periods.
    assert Quarter(2026, 1) != HalfYear(2026, 1) and HalfYear(2026, 1) != Year(2026)
    assert len({Quarter(2026, 1), HalfYear(2026, 1), Year(2026), Quarter(2026, 1)}) == 3
    assert Quarter(2026, 3) != "2026Q3"  # a period is no text: compare with Period values
    with pytest.raises(TypeError):
        assert Quarter(2026, 3) < "2026Q4"
    assert pickle.loads(pickle.dumps(Quarter(2026, 3))) == Quarter(2026, 3)
    with pytest.raises(AttributeError):
        Quarter(2026, 3).number = 4


def test_model_field_stores_the_text_and_reads_periods(db):
    IndicatorValue.objects.create(quarter=Quarter(2026, 3), level="system", level_key="x",
                                  indicator="a")  # fmt: skip
    IndicatorValue.objects.create(quarter="2026h1", level="system", level_key="x", indicator="a")
    IndicatorValue.objects.create(quarter=Year(2026), level="system", level_key="x", indicator="a")
    stored = IndicatorValue.objects.order_by("quarter").values_list("quarter", flat=True)
    assert list(stored) == [Year(2026), HalfYear(2026, 1), Quarter(2026, 3)]  # text order
    with connection.cursor() as cursor:
        cursor.execute("SELECT quarter FROM indicators_indicatorvalue ORDER BY quarter")
        assert [row[0] for row in cursor.fetchall()] == ["2026", "2026H1", "2026Q3"]
    assert IndicatorValue.objects.filter(quarter="2026q3").get().quarter == Quarter(2026, 3)
    assert IndicatorValue.objects.filter(quarter__in=[Year(2026), "2026H1"]).count() == 2
    with pytest.raises(ValueError, match="geen periode"):
        IndicatorValue.objects.filter(quarter="2026Q7").exists()
    run = IndicatorRun(quarter="2026Q9", status="queued")
    with pytest.raises(ValidationError, match="geen periode"):
        run.full_clean()


def test_model_field_deconstructs_and_makes_form_fields():
    field = PeriodField("kwartaal", kinds=(Quarter,))
    _name, path, _args, kwargs = field.deconstruct()
    assert path == "wmo.periods.fields.PeriodField"
    assert kwargs == {"verbose_name": "kwartaal", "kinds": (Quarter,)}
    assert "max_length" not in PeriodField().deconstruct()[3]
    form_field = field.formfield()
    assert isinstance(form_field, PeriodFormField)
    assert form_field.clean("2026q3") == Quarter(2026, 3)
    with pytest.raises(ValidationError, match="is een jaar, geen kwartaal"):
        form_field.clean("2026")
    assert PeriodFormField(required=False).clean("") is None


def test_url_converter_query_helper_api_field_and_command_option():
    converter = QuarterConverter()
    assert converter.to_python("2026q3") == Quarter(2026, 3)
    assert converter.to_url(Quarter(2026, 3)) == converter.to_url("2026Q3") == "2026Q3"
    with pytest.raises(ValueError):
        converter.to_python("2026Q9")

    default = Quarter(2026, 2)
    assert period_from_query({"kwartaal": "2026Q1"}, "kwartaal", Quarter, default) == (
        Quarter(2026, 1), "")  # fmt: skip
    assert period_from_query({}, "kwartaal", Quarter, default) == (default, "")
    period, error = period_from_query({"kwartaal": "2026Q9"}, "kwartaal", Quarter, default)
    assert period == default and error.startswith("Kwartaal: '2026Q9' is geen kwartaal")

    field = PeriodSerializerField(kinds=(Quarter,))
    assert field.run_validation("2026Q3") == Quarter(2026, 3)
    assert field.to_representation(Quarter(2026, 3)) == "2026Q3"
    with pytest.raises(serializers.ValidationError):
        field.run_validation("2026H1")

    option = period_argument(Quarter)
    assert option("2026Q3") == Quarter(2026, 3)
    with pytest.raises(argparse.ArgumentTypeError, match="geen kwartaal"):
        option("2026Q7")
