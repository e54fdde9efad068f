"""Abbreviations users type for the names of organizations and documents.

Border Guard and local party documents write "BCH BĐBP tỉnh", "Đồn BP", "UBND xã";
a user may type either the short or the long form and must find both. The pairs are
data: `units.text.search_condition` folds them and applies them to every search.
A longer form may contain a shorter one ("Ban Chỉ huy Quân sự" and "Ban Chỉ huy"):
the search prefers the longest match.
"""

ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("BĐBP", "Bộ đội Biên phòng"),
    ("BTL", "Bộ Tư lệnh"),
    ("BCHQS", "Ban Chỉ huy Quân sự"),
    ("BCH", "Ban Chỉ huy"),
    ("ĐBP", "Đồn Biên phòng"),
    ("UBND", "Ủy ban nhân dân"),
    ("HĐND", "Hội đồng nhân dân"),
    ("MTTQ", "Mặt trận Tổ quốc"),
    ("ĐU", "Đảng ủy"),
    ("BTV", "Ban Thường vụ"),
    ("LHPN", "Liên hiệp Phụ nữ"),
    ("CCB", "Cựu chiến binh"),
    ("TP", "Thành phố"),
)
