"""Real places the synthetic layers are anchored to: routes, rivers, reservoirs, parks, attractions, hospitals.

Coordinates are (longitude, latitude) in EPSG:4326, approximated from public maps to a few hundred metres; the
generator clips everything to the real province polygon and assigns communes by point-in-polygon.
"""
from __future__ import annotations

# Density factor per pre-2025 district (people per old ward, relative): Biên Hòa is the metropolis, the
# forested north (Bù Gia Mập, Vĩnh Cửu, Tân Phú) is sparse.
DISTRICT_DENSITY = {
    "731": 10.0, "740": 6.0, "742": 6.0, "737": 6.0, "732": 5.0, "689": 5.0, "697": 3.5, "690": 3.0,
    "688": 3.0, "738": 3.0, "739": 2.0, "741": 2.2, "736": 2.0, "694": 1.6, "692": 1.5, "693": 1.2,
    "695": 1.6, "696": 1.2, "698": 1.5, "734": 1.1, "735": 0.7, "691": 0.6,
}
# Relative poverty per pre-2025 district (remote Bình Phước and the upland districts are poorer).
DISTRICT_POVERTY = {
    "691": 3.5, "693": 3.0, "696": 3.0, "692": 2.5, "734": 2.2, "736": 1.8, "698": 1.8, "695": 1.6,
    "694": 1.6, "735": 1.4, "741": 1.3, "739": 1.3, "738": 1.0, "690": 1.0, "688": 1.0, "697": 0.8,
    "737": 0.7, "740": 0.7, "742": 0.7, "732": 0.6, "689": 0.6, "731": 0.3,
}
FOREST_DISTRICTS = ("691", "735", "734", "696")

# (route number, name, class, waypoints)
ROUTES = [
    ("QL1A", "Quốc lộ 1A", "national", [
        (106.830, 10.895), (106.855, 10.925), (106.880, 10.945), (106.920, 10.962), (106.970, 10.955),
        (107.005, 10.948), (107.070, 10.948), (107.140, 10.945), (107.200, 10.940), (107.243, 10.932),
        (107.320, 10.925), (107.400, 10.922), (107.470, 10.910), (107.560, 10.895)]),
    ("QL20", "Quốc lộ 20", "national", [
        (107.140, 10.945), (107.160, 10.990), (107.170, 11.030), (107.220, 11.100), (107.260, 11.160),
        (107.350, 11.195), (107.430, 11.270), (107.480, 11.330), (107.550, 11.370)]),
    ("QL51", "Quốc lộ 51", "national", [
        (106.855, 10.925), (106.870, 10.900), (106.930, 10.860), (106.950, 10.830), (106.955, 10.780),
        (107.000, 10.720), (107.030, 10.680), (107.060, 10.620)]),
    ("QL13", "Quốc lộ 13", "national", [
        (106.630, 11.370), (106.650, 11.430), (106.630, 11.550), (106.600, 11.660), (106.590, 11.750),
        (106.590, 11.840), (106.630, 11.980)]),
    ("QL14", "Quốc lộ 14", "national", [
        (106.650, 11.430), (106.690, 11.430), (106.800, 11.490), (106.900, 11.535), (107.000, 11.560),
        (107.100, 11.660), (107.240, 11.800), (107.300, 11.870), (107.380, 11.930)]),
    ("QL56", "Quốc lộ 56", "national", [
        (107.243, 10.932), (107.250, 10.860), (107.250, 10.800), (107.240, 10.680)]),
    ("CT01", "Cao tốc TP.HCM - Long Thành - Dầu Giây", "national", [
        (106.840, 10.780), (106.900, 10.785), (106.955, 10.790), (107.050, 10.860), (107.140, 10.940)]),
    ("ĐT741", "Đường tỉnh 741", "provincial", [
        (106.900, 11.535), (106.920, 11.700), (106.990, 11.830), (107.050, 12.000)]),
    ("ĐT768", "Đường tỉnh 768", "provincial", [
        (106.840, 10.955), (106.900, 11.000), (106.960, 11.050), (107.030, 11.100)]),
    ("ĐT767", "Đường tỉnh 767", "provincial", [
        (107.005, 10.948), (107.020, 11.020), (107.030, 11.100)]),
    ("ĐT769", "Đường tỉnh 769", "provincial", [
        (106.800, 10.720), (106.900, 10.740), (106.955, 10.780), (107.060, 10.860), (107.170, 11.030)]),
    ("ĐT753", "Đường tỉnh 753", "provincial", [
        (106.900, 11.535), (106.960, 11.420), (107.000, 11.300)]),
]

# (name, kind, waypoints downstream); the Đồng Nai runs through the Trị An reservoir to Biên Hòa and Nhơn Trạch.
RIVERS = [
    ("Sông Đồng Nai", "river", [
        (107.450, 11.550), (107.400, 11.500), (107.330, 11.470), (107.250, 11.430), (107.180, 11.380),
        (107.120, 11.300), (107.100, 11.250), (107.060, 11.170), (107.030, 11.110), (106.980, 11.070),
        (106.930, 11.030), (106.870, 10.990), (106.840, 10.960), (106.830, 10.920), (106.840, 10.880),
        (106.820, 10.830), (106.800, 10.780), (106.780, 10.730), (106.760, 10.680)]),
    ("Sông Bé", "river", [
        (107.150, 12.100), (107.050, 11.970), (107.000, 11.850), (106.950, 11.750), (106.880, 11.620),
        (106.800, 11.550), (106.760, 11.450), (106.740, 11.350), (106.720, 11.280)]),
    ("Sông La Ngà", "river", [
        (107.570, 11.220), (107.450, 11.180), (107.380, 11.200), (107.300, 11.170), (107.220, 11.180),
        (107.170, 11.170)]),
    ("Sông Sài Gòn", "river", [
        (106.470, 11.950), (106.450, 11.800), (106.480, 11.600), (106.550, 11.450)]),
    ("Sông Thị Vải", "river", [(107.020, 10.780), (107.010, 10.700), (107.000, 10.620)]),
    ("Sông Ray", "river", [(107.330, 10.900), (107.330, 10.800), (107.350, 10.700), (107.360, 10.620)]),
    ("Sông Buông", "river", [(106.990, 10.930), (106.960, 10.880), (106.920, 10.850), (106.880, 10.830)]),
    ("Sông Mã Đà", "river", [(107.050, 11.350), (107.040, 11.270), (107.020, 11.200)]),
    ("Sông Lá Buông", "river", [(107.160, 10.860), (107.100, 10.850), (107.000, 10.850), (106.960, 10.880)]),
]

RAILWAYS = [
    ("Đường sắt Bắc - Nam", "operating", [
        (106.800, 10.930), (106.830, 10.945), (106.880, 10.955), (106.940, 10.962), (107.010, 10.955),
        (107.140, 10.948), (107.243, 10.935), (107.400, 10.925), (107.560, 10.900)]),
    ("Đường sắt Biên Hòa - Vũng Tàu", "planned", [
        (106.860, 10.930), (106.920, 10.860), (106.960, 10.800), (107.000, 10.740), (107.050, 10.630)]),
    ("Đường sắt Thủ Thiêm - Long Thành", "planned", [(106.780, 10.790), (106.880, 10.780), (107.000, 10.770)]),
    ("Đường sắt Dĩ An - Lộc Ninh", "planned", [
        (106.640, 11.360), (106.650, 11.430), (106.620, 11.560), (106.595, 11.700), (106.600, 11.850),
        (106.630, 11.980)]),
    ("Đường sắt tốc độ cao Bắc - Nam", "construction", [
        (106.840, 10.780), (106.990, 10.800), (107.140, 10.880), (107.300, 10.900), (107.560, 10.880)]),
]

# (code, name, kind, parameter, unit, threshold, lon, lat, river name for snapping or None)
WATER_LEVEL_STATIONS = [
    ("WL-BH", "Trạm thủy văn Biên Hòa (sông Đồng Nai)", 2.1, 106.838, 10.940, "Sông Đồng Nai"),
    ("WL-TL", "Trạm thủy văn Tà Lài (sông Đồng Nai)", 112.5, 107.330, 11.470, "Sông Đồng Nai"),
    ("WL-NCT", "Trạm Nam Cát Tiên (sông Đồng Nai)", 110.0, 107.250, 11.430, "Sông Đồng Nai"),
    ("WL-HTA", "Trạm hạ lưu Trị An (sông Đồng Nai)", 8.5, 106.980, 11.070, "Sông Đồng Nai"),
    ("WL-NT", "Trạm Nhơn Trạch (sông Đồng Nai)", 1.9, 106.800, 10.780, "Sông Đồng Nai"),
    ("WL-TA1", "Hồ Trị An - đập chính", 62.0, 107.040, 11.110, None),
    ("WL-TA2", "Hồ Trị An - Phú Lý", 62.0, 107.120, 11.240, None),
    ("WL-SB1", "Sông Bé - Phước Long", 160.0, 106.970, 11.780, "Sông Bé"),
    ("WL-TM", "Hồ Thác Mơ", 218.0, 107.000, 11.845, None),
    ("WL-CD", "Hồ Cần Đơn", 112.0, 106.880, 11.620, None),
    ("WL-SPM", "Hồ Srok Phu Miêng", 72.0, 106.800, 11.520, None),
    ("WL-LN1", "Sông La Ngà - Định Quán", 101.0, 107.360, 11.200, "Sông La Ngà"),
    ("WL-LN2", "Sông La Ngà - Phú Ngọc", 98.0, 107.300, 11.170, "Sông La Ngà"),
    ("WL-SR1", "Sông Ray - Cẩm Mỹ", 38.0, 107.330, 10.780, "Sông Ray"),
    ("WL-SR2", "Hồ Sông Ray", 55.0, 107.340, 10.730, None),
    ("WL-TV", "Sông Thị Vải - Long Thành", 1.8, 107.010, 10.700, "Sông Thị Vải"),
    ("WL-SBU", "Sông Buông - Tam Phước", 2.5, 106.930, 10.860, "Sông Buông"),
    ("WL-SM", "Hồ Sông Mây", 46.0, 107.050, 11.000, None),
    ("WL-SB2", "Sông Bé - Tân Thành", 40.0, 106.760, 11.450, "Sông Bé"),
    ("WL-MD", "Sông Mã Đà - Hiếu Liêm", 30.0, 107.040, 11.270, "Sông Mã Đà"),
]

# (name, operator, area ha, lon, lat)
INDUSTRIAL_PARKS = [
    ("KCN Biên Hòa 1", "Sonadezi", 335, 106.865, 10.925), ("KCN Biên Hòa 2", "Sonadezi", 365, 106.872, 10.938),
    ("KCN Amata", "Amata Việt Nam", 494, 106.893, 10.947), ("KCN Loteco", "Loteco", 100, 106.885, 10.928),
    ("KCN Agtex Long Bình", "Agtex", 43, 106.905, 10.957), ("KCN Tam Phước", "Tín Nghĩa", 323, 106.935, 10.858),
    ("KCN Hố Nai", "Hố Nai", 497, 106.945, 10.972), ("KCN Sông Mây", "Sonadezi", 474, 106.995, 10.988),
    ("KCN Bàu Xéo", "Thống Nhất", 500, 107.045, 10.930), ("KCN Giang Điền", "Sonadezi", 529, 106.985, 10.918),
    ("KCN An Phước", "Sonadezi", 200, 106.962, 10.840), ("KCN Long Thành", "Sonadezi", 488, 106.965, 10.792),
    ("KCN Gò Dầu", "Sonadezi", 184, 106.995, 10.672), ("KCN Lộc An - Bình Sơn", "Sonadezi", 497, 107.055, 10.772),
    ("KCN Long Đức", "Long Đức", 283, 107.005, 10.756), ("KCN Nhơn Trạch 1", "IDICO", 430, 106.903, 10.733),
    ("KCN Nhơn Trạch 2", "D2D", 331, 106.925, 10.752), ("KCN Nhơn Trạch 3", "Tín Nghĩa", 688, 106.935, 10.712),
    ("KCN Nhơn Trạch 5", "IDICO", 302, 106.880, 10.712), ("KCN Nhơn Trạch 6", "Nhơn Trạch 6", 315, 106.868, 10.742),
    ("KCN Nhơn Trạch II - Nhơn Phú", "Nhơn Phú", 183, 106.898, 10.762), ("KCN Ông Kèo", "Tín Nghĩa", 300, 106.952, 10.645),
    ("KCN Dầu Giây", "Cao su Đồng Nai", 330, 107.152, 10.962), ("KCN Long Khánh", "Long Khánh", 264, 107.222, 10.908),
    ("KCN Xuân Lộc", "Sonadezi", 109, 107.425, 10.928), ("KCN Suối Tre", "Cao su Đồng Nai", 150, 107.198, 10.945),
    ("KCN Thạnh Phú", "Thạnh Phú", 177, 106.932, 11.020), ("KCN Tân Phú", "Tân Phú", 54, 107.432, 11.262),
    ("KCN Định Quán", "Định Quán", 54, 107.332, 11.172), ("KCN Đồng Xoài I", "Becamex", 163, 106.872, 11.502),
    ("KCN Đồng Xoài II", "Becamex", 85, 106.862, 11.532), ("KCN Đồng Xoài III", "Becamex", 121, 106.922, 11.512),
    ("KCN Minh Hưng - Hàn Quốc", "Minh Hưng", 193, 106.682, 11.442), ("KCN Minh Hưng III", "Cao su Bình Long", 292, 106.702, 11.418),
    ("KCN Chơn Thành I", "Chơn Thành", 124, 106.618, 11.432), ("KCN Becamex Bình Phước", "Becamex", 600, 106.620, 11.392),
    ("KCN Bắc Đồng Phú", "Cao su Đồng Phú", 184, 106.972, 11.572), ("KCN Nam Đồng Phú", "Cao su Đồng Phú", 72, 106.932, 11.468),
]

# (name, kind, capacity, lon, lat)
ATTRACTIONS = [
    ("Văn miếu Trấn Biên", "attraction", 3000, 106.797, 10.951), ("Khu du lịch Bửu Long", "attraction", 8000, 106.800, 10.962),
    ("Cù lao Phố - Thất Phủ cổ miếu", "festival", 6000, 106.842, 10.942), ("Thác Giang Điền", "attraction", 5000, 106.982, 10.928),
    ("Khu du lịch Suối Mơ", "attraction", 4000, 107.452, 11.252), ("Vườn quốc gia Cát Tiên", "attraction", 2500, 107.430, 11.430),
    ("Đảo Ó - Đồng Trường (hồ Trị An)", "attraction", 3000, 107.070, 11.150), ("Núi Chứa Chan", "festival", 10000, 107.380, 10.890),
    ("Khu bảo tồn thiên nhiên - văn hóa Đồng Nai", "attraction", 2000, 107.100, 11.300), ("Chiến khu Đ", "attraction", 2000, 107.050, 11.250),
    ("Làng bưởi Tân Triều", "attraction", 3000, 106.900, 11.000), ("Đá Ba Chồng", "attraction", 1500, 107.360, 11.160),
    ("Vườn quốc gia Bù Gia Mập", "attraction", 1500, 107.150, 12.150), ("Trảng cỏ Bù Lạch", "festival", 5000, 107.230, 11.950),
    ("Sóc Bom Bo", "attraction", 2000, 107.170, 11.830), ("Núi Bà Rá", "festival", 6000, 107.000, 11.820),
    ("Căn cứ Tà Thiết", "attraction", 1500, 106.550, 11.850), ("Hồ Suối Lam", "attraction", 2500, 106.900, 11.530),
    ("Lễ hội trái cây Long Khánh", "festival", 12000, 107.243, 10.932), ("Thác Mai - Hồ nước nóng", "attraction", 2000, 107.300, 11.050),
    ("Khu du lịch Sơn Tiên", "attraction", 6000, 106.960, 10.900), ("Chùa Bửu Phong", "festival", 4000, 106.808, 10.965),
]

# (name, beds, lon, lat)
HOSPITALS = [
    ("Bệnh viện Đa khoa Đồng Nai", 1400, 106.862, 10.952), ("Bệnh viện Đa khoa Thống Nhất", 1000, 106.858, 10.945),
    ("Bệnh viện Nhi đồng Đồng Nai", 700, 106.822, 10.953), ("Bệnh viện Đa khoa khu vực Long Khánh", 650, 107.240, 10.930),
    ("Bệnh viện Đa khoa khu vực Định Quán", 400, 107.352, 11.192), ("Bệnh viện Đa khoa Long Thành", 300, 106.952, 10.782),
    ("Bệnh viện Đa khoa Nhơn Trạch", 250, 106.885, 10.722), ("Bệnh viện Đa khoa tỉnh Bình Phước", 900, 106.892, 11.532),
    ("Bệnh viện Đa khoa Bình Long", 300, 106.602, 11.658), ("Bệnh viện Đa khoa Phước Long", 250, 106.992, 11.832),
    ("Bệnh viện Đa khoa Lộc Ninh", 200, 106.592, 11.842), ("Bệnh viện Đa khoa Bù Đăng", 200, 107.242, 11.802),
    ("Bệnh viện Đa khoa Xuân Lộc", 250, 107.402, 10.922), ("Bệnh viện Đa khoa Tân Phú", 200, 107.432, 11.272),
    ("Bệnh viện Đa khoa Trảng Bom", 300, 107.002, 10.952), ("Bệnh viện Đa khoa Cẩm Mỹ", 150, 107.252, 10.802),
    ("Bệnh viện Đa khoa Chơn Thành", 200, 106.652, 11.432), ("Bệnh viện Đa khoa Đồng Phú", 150, 106.952, 11.482),
]

# (name, kind, capacity MW, lon, lat)
POWER_PLANTS = [
    ("Thủy điện Trị An", "hydro", 400, 107.040, 11.105), ("Thủy điện Thác Mơ", "hydro", 225, 107.005, 11.840),
    ("Thủy điện Cần Đơn", "hydro", 78, 106.882, 11.615), ("Thủy điện Srok Phu Miêng", "hydro", 51, 106.802, 11.518),
    ("Nhiệt điện Nhơn Trạch 1", "thermal", 450, 106.925, 10.655), ("Nhiệt điện Nhơn Trạch 2", "thermal", 750, 106.930, 10.660),
    ("Nhiệt điện Formosa Đồng Nai", "thermal", 150, 106.915, 10.700), ("Điện mặt trời Lộc Ninh", "solar", 550, 106.520, 11.880),
    ("Điện mặt trời Bình Phước 1", "solar", 200, 106.700, 11.650), ("Điện mặt trời Hồ Trị An", "solar", 100, 107.090, 11.180),
    ("Trạm biến áp 500 kV Sông Mây", "substation", 1800, 107.005, 10.995), ("Trạm biến áp 500 kV Tân Định 2", "substation", 900, 106.840, 11.060),
    ("Trạm biến áp 500 kV Chơn Thành", "substation", 1800, 106.640, 11.450),
]
