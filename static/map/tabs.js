// The side panel's tabs (ARIA tabs: arrow keys move between them); the open tab is part of the address (&tab=).

/** Tabs over buttons [role=tab][aria-controls]; hidden buttons (panels the role may not use) are skipped. */
export class Tabs {
  constructor({ store, list, defaultTab }) {
    Object.assign(this, { store, list, defaultTab });
    this.buttons().forEach((button) => {
      button.addEventListener("click", () => this.store.set({ tab: button.dataset.tab === defaultTab ? undefined : button.dataset.tab }));
      button.addEventListener("keydown", (event) => this.onKey(event, button));
    });
    store.subscribe((state, changed) => { if (changed.includes("tab")) { this.show(); } });
    this.show();
  }

  buttons() { return [...this.list.querySelectorAll("[role=tab]")].filter((b) => !b.hidden); }

  current() {
    const wanted = this.store.get("tab") || this.defaultTab;
    return this.buttons().some((b) => b.dataset.tab === wanted) ? wanted : this.defaultTab;
  }

  show() {
    const open = this.current();
    this.buttons().forEach((button) => {
      const selected = button.dataset.tab === open;
      button.setAttribute("aria-selected", selected ? "true" : "false");
      button.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(button.getAttribute("aria-controls"));
      if (panel) { panel.hidden = !selected; }
    });
    this.list.dispatchEvent(new CustomEvent("tabchange", { detail: open }));
  }

  onKey(event, button) {
    const all = this.buttons();
    const index = all.indexOf(button);
    let next = null;
    if (event.key === "ArrowDown" || event.key === "ArrowRight") { next = all[(index + 1) % all.length]; }
    if (event.key === "ArrowUp" || event.key === "ArrowLeft") { next = all[(index - 1 + all.length) % all.length]; }
    if (event.key === "Home") { next = all[0]; }
    if (event.key === "End") { next = all[all.length - 1]; }
    if (next) { event.preventDefault(); next.focus(); next.click(); }
  }

  /** Open a tab (as a click would). */
  open(tab) { this.store.set({ tab: tab === this.defaultTab ? undefined : tab }); }
}
