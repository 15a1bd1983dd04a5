/* The policy simulator page: the JSON editor of a rule set shows only when that rule set is
   "custom", and the chart of which rule removed how many visits is drawn whenever the result
   arrives (on load, or swapped in by htmx when the background job is done). */
(function () {
  "use strict";

  const RED = "#8c1c13";
  const FONT = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

  function toggleCustom(fieldset) {
    const chosen = fieldset.querySelector("input[type=radio]:checked");
    const custom = fieldset.querySelector("[data-ruleset-custom]");
    if (custom) custom.hidden = !(chosen && chosen.value === "custom");
  }

  function drawByRule(root) {
    const el = root.querySelector ? root.querySelector("#by-rule-chart") : null;
    const dataEl = document.getElementById("by-rule-data");
    if (!el || !dataEl || typeof echarts === "undefined" || el.dataset.drawn) return;
    const data = JSON.parse(dataEl.textContent);
    const chart = echarts.init(el, null, { renderer: "svg" });
    const series = [];
    const AMBER = "#d49a1a";
    const label = { show: true, position: "right", formatter: function (p) { return p.value ? p.value.toLocaleString("en-US") : ""; } };
    if (data.a) series.push({ name: el.dataset.seriesA || "规则集 A", type: "bar", data: data.a, barMaxWidth: 18, itemStyle: { color: AMBER }, label: label });
    series.push({ name: el.dataset.seriesB || "规则集 B", type: "bar", data: data.b, barMaxWidth: 18, itemStyle: { color: RED }, label: label });
    chart.setOption({
      textStyle: { fontFamily: FONT },
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, data: series.map(function (s) { return s.name; }) },
      grid: { left: 8, right: 56, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", name: el.dataset.unit || "次", minInterval: 1, splitLine: { lineStyle: { color: "#eee" } } },
      yAxis: { type: "category", data: data.labels, inverse: true, axisTick: { show: false }, axisLabel: { width: 180, overflow: "break" } },
      series: series,
    });
    el.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("change", function (event) {
    const fieldset = event.target.closest("[data-ruleset]");
    if (fieldset) toggleCustom(fieldset);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-ruleset]").forEach(toggleCustom);
    drawByRule(document);
  });

  // htmx swaps the finished job's result (or its error) in place of the "计算中" notice: draw
  // the chart, and a new run may start once nothing is being computed.
  document.addEventListener("htmx:load", function (event) {
    drawByRule(event.target.parentNode || document);
    const submit = document.getElementById("simulate-submit");
    if (submit && !document.querySelector("#simulation-job[hx-get]")) submit.disabled = false;
  });
})();
