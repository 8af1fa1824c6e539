// The work panels a role may use, each its own module, mounted into its tab of the side panel.

import { AnalysisPanel } from "./analysis.js";
import { CameraWallPanel } from "./camerawall.js";
import { InboxPanel } from "./inbox.js";
import { IndicatorEntryPanel } from "./indicatorentry.js";
import { IndicatorPanel } from "./indicators.js";
import { OverviewPanel } from "./overview.js";
import { ScenarioPanel } from "./scenarios.js";

const PANELS = { analysis: AnalysisPanel, scenarios: ScenarioPanel, inbox: InboxPanel, overview: OverviewPanel, indicators: IndicatorPanel,
  cameras: CameraWallPanel, entry: IndicatorEntryPanel };

/** Mount the panels the server listed for this role (config.panels) into their tabs. */
export function mountPanels(ctx) {
  ctx.panels = {};
  (ctx.config.panels || []).forEach((name) => {
    const container = document.getElementById(`tab-${name}`);
    const Panel = PANELS[name];
    if (container && Panel) { ctx.panels[name] = new Panel(ctx, container); }
  });
  return ctx.panels;
}
