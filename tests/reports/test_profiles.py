from reports import profiles
from reports.selectors import recipient_lines, signature_lines
from units.models import Level, Organization

Kind = Organization.Kind


def test_a_party_committee_issues_party_documents():
    assert profiles.profile_for(Kind.BORDER_GUARD_PARTY_COMMITTEE) is profiles.PARTY
    assert profiles.profile_for(Kind.LOCAL_PARTY_COMMITTEE) is profiles.PARTY


def test_any_other_body_issues_state_documents():
    assert profiles.profile_for(Kind.PEOPLES_COMMITTEE) is profiles.STATE
    assert profiles.profile_for(Kind.BORDER_GUARD_COMMAND) is profiles.STATE
    assert profiles.profile_for(None) is profiles.STATE


def test_the_number_has_no_colon_in_party_documents_and_one_in_state_documents():
    assert profiles.PARTY.number_line("12", "BC/ĐU") == "Số 12-BC/ĐU"
    assert profiles.STATE.number_line("12", "BC-UBND") == "Số: 12/BC-UBND"


def test_a_draft_keeps_the_place_of_its_number_blank():
    assert profiles.STATE.number_line("", "BC-UBND").startswith("Số: \u00a0")
    assert profiles.STATE.number_line("", "BC-UBND").endswith("/BC-UBND")


def test_a_party_committee_signs_collectively_and_never_k_t():
    committee = Organization(kind=Kind.LOCAL_PARTY_COMMITTEE, level=Level.COMMUNE)
    lines = signature_lines(profiles.PARTY, committee, "Phó Bí thư", on_behalf=True)
    assert lines == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"]
    assert signature_lines(profiles.PARTY, committee, "", on_behalf=False)[-1] == "BÍ THƯ"


def test_a_state_deputy_signs_for_the_head():
    committee = Organization(kind=Kind.PEOPLES_COMMITTEE, level=Level.PROVINCE)
    lines = signature_lines(profiles.STATE, committee, "Phó Chủ tịch", on_behalf=True)
    assert lines == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    command = Organization(kind=Kind.BORDER_GUARD_COMMAND, level=Level.PROVINCE)
    assert signature_lines(profiles.STATE, command, "Phó Chỉ huy trưởng", on_behalf=True) == [
        "KT. CHỈ HUY TRƯỞNG",
        "PHÓ CHỈ HUY TRƯỞNG",
    ]


def test_recipients_get_a_dash_and_a_semicolon_and_the_archive_copy_comes_last():
    assert recipient_lines("Lưu: VT, VP\n- Thành ủy;\n\nĐảng ủy BĐBP.") == [
        "- Thành ủy;",
        "- Đảng ủy BĐBP;",
        "- Lưu: VT, VP.",
    ]
    assert recipient_lines("") == ["- Lưu: VT."]
