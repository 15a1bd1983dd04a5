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
    chart.setOption({
      textStyle: { fontFamily: FONT },
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 56, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: "value", name: el.dataset.unit || "次", minInterval: 1, splitLine: { lineStyle: { color: "#eee" } } },
      yAxis: { type: "category", data: data.labels, inverse: true, axisTick: { show: false } },
      series: [{
        name: el.dataset.series || "减少的现场入企", type: "bar", data: data.values, barMaxWidth: 22,
        itemStyle: { color: RED },
        label: { show: true, position: "right", formatter: function (p) { return p.value.toLocaleString("en-US"); } },
      }],
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

  // htmx swaps the finished job's result in place of the "计算中" notice.
  document.addEventListener("htmx:load", function (event) { drawByRule(event.target.parentNode || document); });
})();
