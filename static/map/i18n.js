// Interface strings of the operations workspace, Vietnamese first, with an English switch. Labels of data
// (layers, attributes, values) come from the server; only the interface's own words live here.

const STRINGS = {
  vi: {
    title: "Bản đồ số điều hành tỉnh Đồng Nai", searchPlaceholder: "Tìm xã, phường…", go: "Tìm",
    login: "Đăng nhập", logout: "Đăng xuất", layers: "Lớp dữ liệu", loading: "Đang tải…", skip: "Bỏ qua, đến bản đồ",
    features: "đối tượng", approx: "ước tính", synthetic: "dữ liệu mẫu", raster: "Ảnh raster",
    notFound: "Không tìm thấy xã/phường", cluster: "Ô gộp", count: "Số lượng", zoomIn: "Phóng to để xem chi tiết",
    protected: "hạn chế", loginHint: "Đăng nhập để xem các lớp hạn chế (nhà ở, camera…)", yes: "Có", no: "Không",
    commune: "Xã, phường", tabLayers: "Lớp", tabAnalysis: "Phân tích", tabScenarios: "Kịch bản", tabInbox: "Phản ánh",
    tabOverview: "Tổng quan", close: "Đóng", error: "Lỗi", retry: "Thử lại", none: "Không có",
    // analysis
    draw: "Vẽ vùng phân tích", polygon: "Đa giác", rectangle: "Hình chữ nhật", circle: "Hình tròn", point: "Điểm",
    pickCommune: "Chọn xã/phường", select: "Chọn, sửa", clearShape: "Xoá vùng", radiusM: "Bán kính (m)",
    applyRadius: "Áp dụng bán kính", analysisLayers: "Lớp cần phân tích", groupBy: "Nhóm theo", area: "Diện tích",
    communesTouched: "Xã, phường liên quan", noShape: "Vẽ một vùng trên bản đồ hoặc chọn một xã để phân tích.",
    km2: "km²", sum: "Tổng", groups: "Nhóm", featureList: "Danh sách đối tượng", zoomTo: "Đến đối tượng",
    prev: "Trang trước", next: "Trang sau", page: "Trang", of: "trên", highlight: "Tô sáng trên bản đồ",
    analysing: "Đang phân tích…", pickHint: "Nhấp vào một xã trên bản đồ hoặc gõ tên xã.", center: "Tâm",
    analysisCommune: "Xã/phường phân tích", clipped_length_m: "Chiều dài trong vùng (m)",
    clipped_area_m2: "Diện tích trong vùng (m²)", noGroup: "Không nhóm", listLayer: "Lớp của danh sách", analysisTitle: "Phân tích vùng",
    drawHint: "Nhấp trên bản đồ để vẽ; nhấp lại điểm đầu (đa giác) hoặc nhấp lần hai (hình chữ nhật, hình tròn) để kết thúc.",
    // scenarios
    scenarios: "Kịch bản", sector: "Lĩnh vực", run: "Chạy kịch bản", running: "Đang chạy…", figures: "Số liệu",
    alerts: "Cảnh báo", earlierRuns: "Các lần chạy trước", reopen: "Mở lại", export: "Xuất", params: "Tham số",
    needArea: "Hãy vẽ hoặc chọn vùng trong thẻ Phân tích trước.", ranAt: "Chạy lúc", provinceArea: "Toàn tỉnh",
    useProvince: "Chạy cho toàn tỉnh", scenarioArea: "Vùng chạy", analysisArea: "Vùng đang phân tích",
    share_pct: "Tỷ lệ (%)", totals: "Tổng cộng", by: "Theo", severity: "Mức độ", threshold: "Ngưỡng",
    noRuns: "Chưa có lần chạy nào", runBy: "Người chạy", chooseScenario: "Chọn kịch bản", allSectors: "Tất cả lĩnh vực",
    exportXlsx: "Excel (XLSX)", exportPdf: "PDF", exportHtml: "Trang HTML", high: "Cao", medium: "Trung bình", low: "Thấp",
    runFailed: "Chạy không thành công",
    // inbox
    inbox: "Hộp phản ánh", status: "Trạng thái", overdue: "Quá hạn", all: "Tất cả", due: "Hạn xử lý",
    accept: "Tiếp nhận", assign: "Giao xử lý", inProgress: "Đang xử lý", resolve: "Đã xử lý xong", reject: "Từ chối",
    duplicate: "Trùng lặp", close_: "Đóng phản ánh", note: "Ghi chú nội bộ", publicNote: "Thông báo công khai",
    assignedTo: "Giao cho", duplicateOf: "Trùng với phản ánh số", history: "Lịch sử xử lý", contact: "Liên hệ",
    transitionDone: "Đã cập nhật trạng thái", address: "Địa chỉ", reportNo: "Phản ánh số", refresh: "Làm mới",
    // overview
    indicator: "Chỉ tiêu", period: "Kỳ", value: "Giá trị", target: "Mục tiêu", missTarget: "Chưa đạt",
    alertPanel: "Cảnh báo mới", liveAlerts: "Cảnh báo vận hành", noAlerts: "Không có cảnh báo", lastUpdate: "Cập nhật lúc",
    overviewTitle: "Tổng quan điều hành", met: "Đạt mục tiêu", notMet: "Chưa đạt", noData: "Không có số liệu",
    indicatorMap: "Bản đồ chỉ tiêu", showOnMap: "Hiện trên bản đồ", reportsOpen: "Phản ánh đang mở",
    reportsOverdue: "Phản ánh quá hạn", camerasLive: "Camera hoạt động", camerasDead: "Camera mất tín hiệu",
    alertsHigh: "Cảnh báo mức cao", worst: "Xã, phường xa mục tiêu nhất", gap: "Chênh lệch", newAlerts: "cảnh báo mới",
    tabIndicators: "Chỉ tiêu", mode: "Cách tô màu", modeValue: "Giá trị trong kỳ", modePrevious: "So với kỳ trước",
    modeLastYear: "So với cùng kỳ năm trước", missing: "Xã, phường chưa đạt mục tiêu", better: "Tốt hơn", worse: "Kém hơn",
    unchanged: "Không đổi", atLeast: "tối thiểu", atMost: "tối đa", historyOf: "Diễn biến", chartAlt: "Biểu đồ diễn biến",
    compareWith: "So với kỳ", outlineMissing: "Viền đỏ: chưa đạt mục tiêu", allCommunes: "Tất cả xã, phường",
    openIndicator: "Xem trên bản đồ chỉ tiêu", timeFilter: "Lọc theo thời gian", from: "Từ ngày", to: "Đến ngày",
    clearTime: "Bỏ lọc thời gian", lastDays: "90 ngày gần nhất", clusterNotFiltered: "Ô gộp (thu nhỏ) không lọc theo thời gian",
    shown: "Đang hiện", filterAlerts: "Lọc cảnh báo", highest: "Cao nhất", lowest: "Thấp nhất", noCompare: "Không có số liệu kỳ so sánh",
  },
  en: {
    title: "Đồng Nai operations map", searchPlaceholder: "Find a commune or ward…", go: "Go",
    login: "Log in", logout: "Log out", layers: "Layers", loading: "Loading…", skip: "Skip to the map",
    features: "features", approx: "estimated", synthetic: "sample data", raster: "Rasters",
    notFound: "No such commune or ward", cluster: "Aggregated cell", count: "Count", zoomIn: "Zoom in for details",
    protected: "restricted", loginHint: "Log in to see restricted layers (houses, cameras…)", yes: "Yes", no: "No",
    commune: "Commune", tabLayers: "Layers", tabAnalysis: "Analysis", tabScenarios: "Scenarios", tabInbox: "Reports",
    tabOverview: "Overview", close: "Close", error: "Error", retry: "Retry", none: "None",
    draw: "Draw an analysis area", polygon: "Polygon", rectangle: "Rectangle", circle: "Circle", point: "Point",
    pickCommune: "Pick a commune", select: "Select, edit", clearShape: "Clear area", radiusM: "Radius (m)",
    applyRadius: "Apply radius", analysisLayers: "Layers to analyse", groupBy: "Group by", area: "Area",
    communesTouched: "Communes touched", noShape: "Draw an area on the map or pick a commune to analyse.",
    km2: "km²", sum: "Total", groups: "Groups", featureList: "Features", zoomTo: "Zoom to feature",
    prev: "Previous page", next: "Next page", page: "Page", of: "of", highlight: "Highlight on the map",
    analysing: "Analysing…", pickHint: "Click a commune on the map or type its name.", center: "Centre",
    analysisCommune: "Commune to analyse", clipped_length_m: "Length inside the area (m)",
    clipped_area_m2: "Area inside the area (m²)", noGroup: "No grouping", listLayer: "Layer of the list", analysisTitle: "Area analysis",
    drawHint: "Click on the map to draw; click the first point again (polygon) or click a second time (rectangle, circle) to finish.",
    scenarios: "Scenarios", sector: "Sector", run: "Run scenario", running: "Running…", figures: "Figures",
    alerts: "Alerts", earlierRuns: "Earlier runs", reopen: "Reopen", export: "Export", params: "Parameters",
    needArea: "Draw or pick an area in the Analysis tab first.", ranAt: "Run at", provinceArea: "Whole province",
    useProvince: "Run for the whole province", scenarioArea: "Area", analysisArea: "Area being analysed",
    share_pct: "Share (%)", totals: "Totals", by: "By", severity: "Severity", threshold: "Threshold",
    noRuns: "No runs yet", runBy: "Run by", chooseScenario: "Choose a scenario", allSectors: "All sectors",
    exportXlsx: "Excel (XLSX)", exportPdf: "PDF", exportHtml: "HTML page", high: "High", medium: "Medium", low: "Low",
    runFailed: "The run failed",
    inbox: "Report inbox", status: "Status", overdue: "Overdue", all: "All", due: "Due",
    accept: "Accept", assign: "Assign", inProgress: "In progress", resolve: "Resolve", reject: "Reject",
    duplicate: "Duplicate", close_: "Close report", note: "Internal note", publicNote: "Public note",
    assignedTo: "Assign to", duplicateOf: "Duplicate of report no.", history: "History", contact: "Contact",
    transitionDone: "Status updated", address: "Address", reportNo: "Report no.", refresh: "Refresh",
    indicator: "Indicator", period: "Period", value: "Value", target: "Target", missTarget: "Below target",
    alertPanel: "New alerts", liveAlerts: "Operations alerts", noAlerts: "No alerts", lastUpdate: "Updated at",
    overviewTitle: "Operations overview", met: "Target met", notMet: "Below target", noData: "No data",
    indicatorMap: "Indicator map", showOnMap: "Show on the map", reportsOpen: "Open reports",
    reportsOverdue: "Overdue reports", camerasLive: "Cameras live", camerasDead: "Cameras dead",
    alertsHigh: "High alerts", worst: "Communes furthest from target", gap: "Gap", newAlerts: "new alerts",
    tabIndicators: "Indicators", mode: "Colour by", modeValue: "Value in the period", modePrevious: "Change from the previous period",
    modeLastYear: "Change from the same period last year", missing: "Communes below target", better: "Better", worse: "Worse",
    unchanged: "Unchanged", atLeast: "at least", atMost: "at most", historyOf: "History", chartAlt: "History chart",
    compareWith: "Compared with", outlineMissing: "Red outline: below target", allCommunes: "All communes",
    openIndicator: "Show on the indicator map", timeFilter: "Time filter", from: "From", to: "To",
    clearTime: "Clear time filter", lastDays: "Last 90 days", clusterNotFiltered: "Aggregated cells (zoomed out) are not time-filtered",
    shown: "Shown", filterAlerts: "Filter alerts", highest: "Highest", lowest: "Lowest", noCompare: "No data for the compared period",
  },
};

const listeners = new Set();
let lang = localStorage.getItem("ioc-lang") === "en" ? "en" : "vi";

/** The interface language, "vi" or "en". */
export function getLang() { return lang; }

/** The interface string for a key (the key itself when missing). */
export function t(key) { return (STRINGS[lang] || STRINGS.vi)[key] || STRINGS.vi[key] || key; }

/** A {vi, en} label record from the server in the current language, or the fallback. */
export function pick(label, fallback) {
  if (!label) { return fallback; }
  if (typeof label === "string") { return label; }
  return label[lang] || label.vi || label.en || fallback;
}

/** Translate the static markup: [data-i18n] text and [data-i18n-placeholder] placeholders. */
export function apply(root) {
  document.documentElement.lang = lang;
  (root || document).querySelectorAll("[data-i18n]").forEach((node) => { node.textContent = t(node.dataset.i18n); });
  (root || document).querySelectorAll("[data-i18n-placeholder]").forEach((node) => {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  });
  (root || document).querySelectorAll("[data-i18n-label]").forEach((node) => {
    node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  });
}

/** Switch language, remember it, re-translate the page and tell the panels. */
export function toggle() {
  lang = lang === "vi" ? "en" : "vi";
  localStorage.setItem("ioc-lang", lang);
  apply();
  listeners.forEach((listener) => listener(lang));
}

/** Call `listener(lang)` after every switch. */
export function onLanguage(listener) { listeners.add(listener); }
