"""The two official document layouts, as data: every number and fixed word in one place.

Party documents follow Hướng dẫn 36-HD/VPTW (2018); state documents follow Nghị định
30/2020/NĐ-CP, Phụ lục I. Sizes are in points, margins in millimetres. These words
belong to the document, not to the user interface, so they are not translated.
"""

from dataclasses import dataclass

from units.models import Organization

Kind = Organization.Kind


@dataclass(frozen=True)
class Margins:
    top: int
    right: int
    bottom: int
    left: int


@dataclass(frozen=True)
class DocumentProfile:
    key: str
    basis: str
    margins: Margins
    # Share of the text width the left column of the header takes, in per cent.
    header_left_width: int
    # Right column of the header: the national line and, for state documents, the motto.
    national_line: str
    national_size: float
    motto: str
    motto_size: float
    # Left column: the superior body (regular) over the issuing body (bold).
    parent_size: float
    issuer_size: float
    issuer_mark: str
    # "Số 12-BC/ĐU" (party) or "Số: 12/BC-UBND" (state).
    number_prefix: str
    number_separator: str
    # Between the type and the issuer in a symbol: "BC/ĐU" (party), "BC-BCH" (state).
    symbol_separator: str
    date_size: float
    type_size: float
    summary_size: float
    body_size: float
    recipients_heading_size: float
    recipients_size: float
    recipients_heading_underlined: bool
    signature_size: float
    # Whether a deputy's signature names the head it signs for ("KT. CHỦ TỊCH");
    # a party committee signs collectively and never writes "K/T".
    deputy_prefix: str
    collective_prefix: str
    # The signing capacities ("thẩm quyền ký") and signers' titles an issued document
    # may print, chosen from lists rather than typed.
    capacities: tuple[str, ...]
    titles: tuple[str, ...]
    # The last recipient line: the archive copy, "{unit}" being the drafting unit.
    archive_line: str
    archive_line_without_unit: str

    def number_line(self, number: str | int, symbol: str) -> str:
        """The "Số" line; a draft keeps the place of its number blank.

        A number below 10 takes a leading zero ("Số: 05/BC-UBND").
        """
        if isinstance(number, int) or number.isdigit():
            number = f"{int(number):02d}"
        number = number or "\u00a0" * 6
        symbol = symbol or "BC"
        return f"{self.number_prefix}{number}{self.number_separator}{symbol}"


PARTY = DocumentProfile(
    key="party",
    basis="Hướng dẫn 36-HD/VPTW",
    margins=Margins(top=20, right=15, bottom=20, left=30),
    header_left_width=50,
    national_line="ĐẢNG CỘNG SẢN VIỆT NAM",
    national_size=15,
    motto="",
    motto_size=14,
    parent_size=14,
    issuer_size=14,
    issuer_mark="*",
    number_prefix="Số ",
    number_separator="-",
    symbol_separator="/",
    date_size=14,
    type_size=16,
    summary_size=14,
    body_size=14,
    recipients_heading_size=14,
    recipients_size=12,
    recipients_heading_underlined=True,
    signature_size=14,
    deputy_prefix="",
    collective_prefix="T/M",
    capacities=("T/M",),
    titles=("BÍ THƯ", "PHÓ BÍ THƯ"),
    archive_line="Lưu Văn phòng Đảng ủy.",
    archive_line_without_unit="Lưu Văn phòng Đảng ủy.",
)

STATE = DocumentProfile(
    key="state",
    basis="Nghị định 30/2020/NĐ-CP",
    margins=Margins(top=20, right=15, bottom=20, left=30),
    # 45/55 and 12 pt: "BAN CHỈ HUY BỘ ĐỘI BIÊN PHÒNG" on one line, and the national
    # line beside it, both within the 12–13 pt the decree allows.
    header_left_width=45,
    national_line="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    national_size=12,
    motto="Độc lập - Tự do - Hạnh phúc",
    motto_size=13,
    parent_size=12,
    issuer_size=12,
    issuer_mark="",
    number_prefix="Số: ",
    number_separator="/",
    symbol_separator="-",
    date_size=14,
    type_size=14,
    summary_size=14,
    body_size=14,
    recipients_heading_size=12,
    recipients_size=11,
    recipients_heading_underlined=False,
    signature_size=14,
    deputy_prefix="KT.",
    collective_prefix="TM.",
    capacities=("TM.", "KT.", "TL.", "TUQ.", "Q."),
    titles=(
        "CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "CHỈ HUY TRƯỞNG",
        "PHÓ CHỈ HUY TRƯỞNG",
        "CHÍNH ỦY",
        "PHÓ CHÍNH ỦY",
        "TƯ LỆNH",
        "PHÓ TƯ LỆNH",
        "ĐỒN TRƯỞNG",
        "PHÓ ĐỒN TRƯỞNG",
        "HẢI ĐỘI TRƯỞNG",
        "PHÓ HẢI ĐỘI TRƯỞNG",
        "GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "CHÁNH VĂN PHÒNG",
        "TRƯỞNG PHÒNG",
        "THAM MƯU TRƯỞNG",
    ),
    archive_line="Lưu: VT, {unit}.",
    archive_line_without_unit="Lưu: VT.",
)

PROFILES = {p.key: p for p in (PARTY, STATE)}


def profile_for(kind: str | None) -> DocumentProfile:
    """A party committee issues party documents; any other body, state documents."""
    return PARTY if kind in Organization.PARTY_COMMITTEE_KINDS else STATE


# Fixed words of the documents.
REPORT_TYPE = "BÁO CÁO"
DRAFT_MARK = "DỰ THẢO"
RECIPIENTS_HEADING = "Nơi nhận:"
DATE_FORMAT = "{place}, ngày {day} tháng {month} năm {year}"
# Nghị định 30/2020: a leading zero only for days 1–9 and months 1–2 ("tháng 01", "tháng 4").
ZERO_PADDED_MONTHS = (1, 2)
DATE_BLANK = "{place}, ngày\u00a0\u00a0\u00a0\u00a0 tháng\u00a0\u00a0\u00a0\u00a0 năm {year}"

NO_SUPERIOR_WARNING = (
    "Cấp ủy chưa có dòng tên cấp ủy cấp trên trong tiêu đề: chưa thể ban hành văn bản này."
)

# The issuer's part of a document's symbol until the organization records its own.
ABBREVIATIONS = {
    Kind.LOCAL_PARTY_COMMITTEE: "ĐU",
    Kind.BORDER_GUARD_PARTY_COMMITTEE: "ĐU",
    Kind.BORDER_GUARD_COMMAND: "BCH",
    Kind.BORDER_POST: "ĐBP",
    Kind.BORDER_GATE_POST: "ĐBP",
    Kind.NAVAL_SQUADRON: "HĐ",
    Kind.PEOPLES_COMMITTEE: "UBND",
}
CENTRAL_ABBREVIATIONS = {Kind.BORDER_GUARD_COMMAND: "BTL"}
NAME_ABBREVIATIONS = (("TỈNH ỦY", "TU"), ("THÀNH ỦY", "TU"), ("HUYỆN ỦY", "HU"))

# Who a collective body signs for ("T/M BAN THƯỜNG VỤ", "TM. ỦY BAN NHÂN DÂN").
COLLECTIVE_BODIES = {
    Kind.LOCAL_PARTY_COMMITTEE: "BAN THƯỜNG VỤ",
    Kind.BORDER_GUARD_PARTY_COMMITTEE: "BAN THƯỜNG VỤ",
    Kind.PEOPLES_COMMITTEE: "ỦY BAN NHÂN DÂN",
}
# The head's title, used when the signer's own title does not say it.
HEAD_TITLES = {
    Kind.LOCAL_PARTY_COMMITTEE: "BÍ THƯ",
    Kind.BORDER_GUARD_PARTY_COMMITTEE: "BÍ THƯ",
    Kind.PEOPLES_COMMITTEE: "CHỦ TỊCH",
    Kind.BORDER_GUARD_COMMAND: "CHỈ HUY TRƯỞNG",
    Kind.BORDER_POST: "ĐỒN TRƯỞNG",
    Kind.BORDER_GATE_POST: "ĐỒN TRƯỞNG",
    Kind.NAVAL_SQUADRON: "HẢI ĐỘI TRƯỞNG",
    Kind.DEPARTMENT: "GIÁM ĐỐC",
    Kind.ENTERPRISE: "GIÁM ĐỐC",
    Kind.MASS_ORGANIZATION: "CHỦ TỊCH",
}
CENTRAL_HEAD_TITLES = {Kind.BORDER_GUARD_COMMAND: "TƯ LỆNH"}
DEPUTY_WORD = "PHÓ "

# The annual summary is issued in the name of the Border Guard command of its scope.
NATIONAL_ISSUER = ("BỘ QUỐC PHÒNG", "BỘ TƯ LỆNH BỘ ĐỘI BIÊN PHÒNG")
PROVINCE_ISSUER = ("BỘ CHỈ HUY QUÂN SỰ {province}", "BAN CHỈ HUY BỘ ĐỘI BIÊN PHÒNG")
NATIONAL_PLACE = "Hà Nội"
# The type words a place name drops in the date line ("Huế", "Lũng Cú", "Xín Mần").
PLACE_PREFIXES = (
    "Thành phố ",
    "Tỉnh ",
    "Đặc khu ",
    "Phường ",
    "Thị trấn ",
    "Thị xã ",
    "Xã ",
    "Huyện ",
    "Quận ",
)
NATIONAL_RECIPIENTS = ("Bộ Quốc phòng (để báo cáo)",)
PROVINCE_RECIPIENTS = ("Bộ Tư lệnh Bộ đội Biên phòng (để báo cáo)",)
NATIONAL_SCOPE_PHRASE = "trên phạm vi toàn quốc"
PROVINCE_SCOPE_PHRASE = "trên địa bàn {province}"

# What a review summary says of its agreement: "... thực hiện Quy chế phối hợp giữa ...".
REVIEW_KIND_PHRASES = {
    "annual": "Sơ kết năm {year}",
    "mid_term": "Sơ kết giữa kỳ {year}",
    "final": "Tổng kết",
    "lessons": "Rút kinh nghiệm năm {year}",
}
# The words a downloaded report's file name starts with.
REVIEW_FILE_WORDS = "Báo cáo"
ANNUAL_FILE_WORDS = "Báo cáo tổng hợp"
AGREEMENT_NOUNS = {
    "regulation": "Quy chế phối hợp",
    "twinning": "Giao ước kết nghĩa",
    "plan": "Kế hoạch phối hợp",
    "other": "Văn bản phối hợp",
}
# A title listing a dozen communes is unreadable: past this many parties, count them.
MAX_PARTIES_NAMED = 3
# A gathered proposal names the documents it came from, or counts them when more.
MAX_PROPOSAL_SOURCES_NAMED = 5
# Past MAX_PARTIES_NAMED, the other parties are named by kind and counted, as people
# name them: "Huyện ủy 7 huyện biên giới". Keyed by (kind, level); level None for any.
PARTY_GROUPS = {
    (Kind.LOCAL_PARTY_COMMITTEE, "district"): "Huyện ủy {count} huyện biên giới",
    (Kind.LOCAL_PARTY_COMMITTEE, "commune"): "Đảng ủy {count} xã, phường biên giới",
    (Kind.LOCAL_PARTY_COMMITTEE, "province"): "Tỉnh ủy, Thành ủy {count} tỉnh, thành phố",
    (Kind.PEOPLES_COMMITTEE, "commune"): "Ủy ban nhân dân {count} xã, phường biên giới",
    (Kind.PEOPLES_COMMITTEE, "district"): "Ủy ban nhân dân {count} huyện biên giới",
    (Kind.BORDER_POST, None): "{count} đồn Biên phòng",
    (Kind.BORDER_GATE_POST, None): "{count} đồn Biên phòng cửa khẩu",
    (Kind.BORDER_GUARD_PARTY_COMMITTEE, None): "Đảng ủy {count} đơn vị Bộ đội Biên phòng",
    (Kind.DEPARTMENT, None): "{count} sở, ban, ngành",
    (Kind.ENTERPRISE, None): "{count} doanh nghiệp",
    (Kind.FOREIGN, None): "{count} đối tác nước ngoài",
}
MANY_PARTIES = "{count} cơ quan, đơn vị"
# The review summary's opening: the conference itself.
CONFERENCE_OPENING = (
    "Ngày {date}, tại {place}, {organizers} tổ chức Hội nghị {phrase} thực hiện {noun}"
)
CONFERENCE_CHAIR = "; {chair} chủ trì hội nghị"
CONFERENCE_ATTENDEES = "; tham dự hội nghị có {attendees}"

# An agreement's state on the day a report speaks of (31/12 of its year), in its words.
STATUS_ON_DAY = {
    "draft": "Dự thảo",
    "not_yet": "Chưa có hiệu lực",
    "in_force": "Đang có hiệu lực",
    "expired": "Hết hiệu lực",
    "terminated": "Chấm dứt",
    "superseded": "Được thay thế",
}
# The row of the per-province tables that holds agreements of national level, so that
# every column adds up to the total the text states.
NATIONAL_ROW = "Văn bản cấp toàn quốc"
# What a table cell with no data shows; a real zero is "0".
NO_DATA = "–"

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

# Section headings of a review summary, in the order official reports use.
REVIEW_SECTIONS = {
    "situation": "ĐẶC ĐIỂM TÌNH HÌNH",
    "results": "KẾT QUẢ THỰC HIỆN",
    "leadership": "Công tác lãnh đạo, chỉ đạo",
    "focus": "Kết quả thực hiện các nội dung phối hợp",
    "indicators": "Một số chỉ tiêu chủ yếu",
    "shortcomings_causes": "HẠN CHẾ, NGUYÊN NHÂN",
    "shortcomings": "Hạn chế",
    "causes": "Nguyên nhân",
    "lessons": "BÀI HỌC KINH NGHIỆM",
    "directions": "PHƯƠNG HƯỚNG, NHIỆM VỤ, GIẢI PHÁP",
    "proposals": "KIẾN NGHỊ, ĐỀ XUẤT",
}

ANNUAL_SUMMARY_PHRASE = "Tổng hợp kết quả thực hiện các văn bản phối hợp năm {year} {scope}"
ANNUAL_SECTIONS = {
    "agreements": "TÌNH HÌNH KÝ KẾT, THỰC HIỆN VĂN BẢN PHỐI HỢP",
    "reviews": "CÔNG TÁC SƠ KẾT NĂM",
    "indicators": "KẾT QUẢ CÁC CHỈ TIÊU CHỦ YẾU",
    "coverage": "ĐỘ BAO PHỦ",
    "proposals": "KIẾN NGHỊ, ĐỀ XUẤT CỦA CÁC ĐƠN VỊ",
    "appendix": "PHỤ LỤC: DANH SÁCH VĂN BẢN PHỐI HỢP",
}
