import pytest
from django.core.management import CommandError, call_command

from reports import selectors
from tests.reports import pdf as read


def test_it_renders_national_and_every_province_with_agreements(world, tmp_path, capsys):
    call_command("render_reports", "--year", "2025", "--out", str(tmp_path / "out"))
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [
        "Bao-cao-tong-hop-2025-Lang-Son.pdf",
        "Bao-cao-tong-hop-2025-Thanh-pho-Hue.pdf",
        "Bao-cao-tong-hop-2025-Toan-quoc.pdf",
    ]
    captured = capsys.readouterr()
    assert "3/3" in captured.err
    assert "3/3 reports written" in captured.out
    text = read.flat((tmp_path / "out" / "Bao-cao-tong-hop-2025-Toan-quoc.pdf").read_bytes())
    assert "trên phạm vi toàn quốc" in text


def test_it_renders_only_the_scopes_named(world, tmp_path):
    call_command(
        "render_reports", "--year", "2025", "--scope", "46", "--out", str(tmp_path / "out")
    )
    assert [p.name for p in (tmp_path / "out").iterdir()] == [
        "Bao-cao-tong-hop-2025-Thanh-pho-Hue.pdf"
    ]


def test_it_goes_on_past_a_failure_lists_it_and_fails(world, tmp_path, monkeypatch, capsys):
    real = selectors.annual_summary_data

    def broken_for_national(province, year, **kwargs):
        if province is None:
            raise RuntimeError("boom")
        return real(province, year, **kwargs)

    monkeypatch.setattr(selectors, "annual_summary_data", broken_for_national)
    with pytest.raises(CommandError, match="2 of 3 reports failed"):
        call_command(
            "render_reports",
            "--year",
            "2025",
            "--scope",
            "national",
            "99",
            "--scope",
            "20",
            "--out",
            str(tmp_path / "out"),
        )
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["Bao-cao-tong-hop-2025-Lang-Son.pdf"]
    err = capsys.readouterr().err
    assert "FAILED national: RuntimeError: boom" in err
    assert "FAILED 99" in err
