"""Constants of the real world, as data: focus areas, legal bases and indicators.

Seeded into the database by migration 0002 and editable in admin afterwards; this
module is the single source for the seed. Sources: ../shared/domain.md and the
reviews it quotes (Cao Bằng 2024, Gia Lai 2018, national 2015).
"""

import datetime

FOCUS_AREAS = [
    ("information_exchange", "Trao đổi, cung cấp thông tin"),
    ("sovereignty_security", "Quản lý, bảo vệ chủ quyền lãnh thổ, an ninh biên giới"),
    ("party_building", "Xây dựng Đảng, hệ thống chính trị cơ sở"),
    ("all_people_defence", "Xây dựng nền biên phòng toàn dân, thế trận biên phòng toàn dân"),
    ("socio_economic", "Phát triển kinh tế - xã hội, chăm lo đời sống Nhân dân"),
    ("foreign_relations", "Đối ngoại biên phòng"),
    ("disaster_rescue", "Phòng, chống thiên tai, tìm kiếm cứu nạn"),
    ("force_building", "Xây dựng lực lượng Bộ đội Biên phòng tại địa phương"),
]

# (number, type, issuer, date, title)
LEGAL_DOCUMENTS = [
    ("66/2020/QH14", "Luật", "Quốc hội", datetime.date(2020, 6, 11), "Luật Biên phòng Việt Nam"),
    (
        "33-NQ/TW",
        "Nghị quyết",
        "Bộ Chính trị",
        datetime.date(2018, 9, 28),
        "Chiến lược bảo vệ biên giới quốc gia",
    ),
    (
        "99-KL/TW",
        "Kết luận",
        "Bộ Chính trị",
        datetime.date(2024, 10, 17),
        "Tiếp tục thực hiện Nghị quyết 33-NQ/TW về Chiến lược bảo vệ biên giới quốc gia",
    ),
    (
        "01/CT-TTg",
        "Chỉ thị",
        "Thủ tướng Chính phủ",
        datetime.date(2015, 1, 9),
        "Tổ chức phong trào toàn dân tham gia bảo vệ chủ quyền lãnh thổ, an ninh biên giới "
        "quốc gia trong tình hình mới",
    ),
    (
        "89/QĐ-TTg",
        "Quyết định",
        "Thủ tướng Chính phủ",
        datetime.date(2025, 5, 19),
        "Kế hoạch thực hiện Kết luận 99-KL/TW",
    ),
    (
        "299/2025/NĐ-CP",
        "Nghị định",
        "Chính phủ",
        datetime.date(2025, 11, 14),
        "Quy định về khu vực biên giới đất liền (danh mục xã, phường biên giới)",
    ),
    (
        "30/2020/NĐ-CP",
        "Nghị định",
        "Chính phủ",
        datetime.date(2020, 3, 5),
        "Về công tác văn thư",
    ),
]

# (code, group, name, unit). Pairs such as cases/persons are two indicators.
INDICATORS = [
    ("meetings", "Cơ chế phối hợp", "Giao ban, hội nghị phối hợp", "lần"),
    ("info_exchanges", "Cơ chế phối hợp", "Trao đổi thông tin", "lần"),
    ("propaganda_sessions", "Tuyên truyền", "Buổi tuyên truyền", "buổi"),
    ("propaganda_attendees", "Tuyên truyền", "Người dự tuyên truyền", "lượt người"),
    ("joint_patrols", "Tuần tra", "Tuần tra song phương, phối hợp", "lần"),
    ("patrol_participants", "Tuần tra", "Người tham gia tuần tra", "lượt người"),
    ("patrol_road_km", "Tuần tra", "Đường tuần tra được phát quang", "km"),
    ("crime_cases", "Phòng, chống tội phạm", "Vụ việc phát hiện, xử lý", "vụ"),
    ("crime_persons", "Phòng, chống tội phạm", "Đối tượng phát hiện, xử lý", "đối tượng"),
    ("fines", "Phòng, chống tội phạm", "Tiền xử phạt", "triệu đồng"),
    ("self_mgmt_groups", "Tự quản (Chỉ thị 01)", "Tổ tự quản", "tổ"),
    ("self_mgmt_households", "Tự quản (Chỉ thị 01)", "Hộ tham gia tự quản", "hộ"),
    ("self_mgmt_km", "Tự quản (Chỉ thị 01)", "Đường biên giới tự quản", "km"),
    ("self_mgmt_markers", "Tự quản (Chỉ thị 01)", "Cột mốc tự quản", "mốc"),
    ("officers_on_committees", "Hệ thống chính trị", "Cán bộ BĐBP tham gia cấp ủy xã", "đồng chí"),
    (
        "members_in_village_cells",
        "Hệ thống chính trị",
        "Đảng viên dự sinh hoạt chi bộ thôn",
        "đồng chí",
    ),
    ("houses_built", "An sinh xã hội", "Nhà ở được xây tặng", "căn"),
    ("poor_households_helped", "An sinh xã hội", "Hộ nghèo được giúp đỡ", "hộ"),
    ("students_supported", "An sinh xã hội", "Học sinh \u201cNâng bước em tới trường\u201d", "em"),
    ("foster_children", "An sinh xã hội", "\u201cCon nuôi đồn Biên phòng\u201d", "cháu"),
    ("local_budget", "Kinh phí", "Kinh phí địa phương hỗ trợ", "triệu đồng"),
]
