/* Interface strings of the operations map, Vietnamese first, with an English switch. */
(function () {
  "use strict";
  const STRINGS = {
    vi: {
      title: "Bản đồ số điều hành tỉnh Đồng Nai", searchPlaceholder: "Tìm xã, phường…", go: "Tìm",
      login: "Đăng nhập", logout: "Đăng xuất", layers: "Lớp dữ liệu", loading: "Đang tải…",
      features: "đối tượng", approx: "ước tính", synthetic: "dữ liệu mẫu", raster: "Ảnh raster",
      notFound: "Không tìm thấy xã/phường", cluster: "Ô gộp", count: "Số lượng", zoomIn: "Phóng to để xem chi tiết",
      protected: "hạn chế", loginHint: "Đăng nhập để xem các lớp hạn chế (nhà ở, camera…)",
    },
    en: {
      title: "Đồng Nai operations map", searchPlaceholder: "Find a commune or ward…", go: "Go",
      login: "Log in", logout: "Log out", layers: "Layers", loading: "Loading…",
      features: "features", approx: "estimated", synthetic: "sample data", raster: "Rasters",
      notFound: "No such commune or ward", cluster: "Aggregated cell", count: "Count", zoomIn: "Zoom in for details",
      protected: "restricted", loginHint: "Log in to see restricted layers (houses, cameras…)",
    },
  };
  const i18n = {
    lang: localStorage.getItem("ioc-lang") === "en" ? "en" : "vi",
    t(key) { return (STRINGS[this.lang] || STRINGS.vi)[key] || key; },
    apply(root) {
      document.documentElement.lang = this.lang;
      (root || document).querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = this.t(el.dataset.i18n); });
      (root || document).querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
        el.placeholder = this.t(el.dataset.i18nPlaceholder);
      });
    },
    toggle() {
      this.lang = this.lang === "vi" ? "en" : "vi";
      localStorage.setItem("ioc-lang", this.lang);
      this.apply();
    },
  };
  window.IOC_I18N = i18n;
})();
