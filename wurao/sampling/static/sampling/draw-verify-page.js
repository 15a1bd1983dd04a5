/*
 * draw-verify-page.js: wires a "verify a draw" page to draw-verify.js.
 * Load with <script type="module" src="{% static 'sampling/draw-verify-page.js' %}"></script>.
 *
 * Element ids the template provides (all optional except #draw-verify, #verify-button and
 * #verify-results):
 *
 *   #draw-verify      wrapper. Attributes:
 *                       data-bundle-url="…"  a URL of the bundle JSON, fetched (same origin,
 *                                           with credentials) when neither a file nor pasted
 *                                           text is given;
 *                       data-autorun="true"  verify the data-bundle-url bundle on page load.
 *   #bundle-file      <input type="file" accept=".json,application/json">: a bundle from disk
 *                     (takes precedence).
 *   #bundle-json      <textarea>: a pasted bundle (used when no file is chosen and it is not blank).
 *   #verify-button    <button type="button">: runs the verification; disabled while running.
 *   #verify-progress  a line (e.g. <p role="status">) showing progress text.
 *   #verify-results   the results list. After a run, data-state="passed" or "failed"
 *                     (data-state="running" during a run). Filled by renderChecks (textContent only).
 *
 * The last result is also kept on #draw-verify as the property `lastResult`.
 */

import { renderChecks, verifyBundle, verifyBundleFromFile } from "./draw-verify.js";

function byId(id) {
  return document.getElementById(id);
}

function failure(message_zh, message_en) {
  return {
    ok: false,
    checks: [{ field: "bundle", ok: false, expected: null, found: null, message_zh, message_en }],
  };
}

function setProgress(line, text) {
  if (line) line.textContent = text;
}

async function loadAndVerify(root, onProgress) {
  const fileInput = byId("bundle-file");
  const textArea = byId("bundle-json");
  const url = root ? root.dataset.bundleUrl : "";
  if (fileInput && fileInput.files && fileInput.files.length > 0) {
    return verifyBundleFromFile(fileInput.files[0], { onProgress });
  }
  if (textArea && textArea.value.trim() !== "") {
    return verifyBundle(textArea.value, { onProgress });
  }
  if (url) {
    let response;
    try {
      response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    } catch (err) {
      return failure(`无法下载结果包：${err.message}`, `cannot download the bundle: ${err.message}`);
    }
    if (!response.ok) {
      return failure(`无法下载结果包：HTTP ${response.status}`, `cannot download the bundle: HTTP ${response.status}`);
    }
    return verifyBundle(await response.text(), { onProgress });
  }
  return failure("请选择结果包文件或粘贴结果包 JSON", "choose a bundle file or paste the bundle JSON");
}

export async function runVerification() {
  const root = byId("draw-verify");
  const button = byId("verify-button");
  const results = byId("verify-results");
  const line = byId("verify-progress");
  if (!results) return null;
  if (button) button.disabled = true;
  results.dataset.state = "running";
  const started = performance.now();
  // An English page (the language switch sets <html lang>) reads the English messages.
  const english = (document.documentElement.lang || "").startsWith("en");
  const onProgress = ({ message_zh, message_en, done, total }) => {
    const share = total ? ` ${Math.floor((100 * done) / total)}%` : "";
    setProgress(line, `${english ? message_en : message_zh}…${share}`);
  };
  let result;
  try {
    result = await loadAndVerify(root, onProgress);
  } catch (err) {
    result = failure(`核验中断：${err.message}`, `verification aborted: ${err.message}`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  renderChecks(results, result);
  results.dataset.state = result.ok ? "passed" : "failed";
  if (english) setProgress(line, `${result.ok ? "Verified" : "Verification failed"} (${seconds} s)`);
  else setProgress(line, result.ok ? `核验通过（用时 ${seconds} 秒）` : `核验未通过（用时 ${seconds} 秒）`);
  if (root) root.lastResult = result;
  if (button) button.disabled = false;
  return result;
}

function wire() {
  const root = byId("draw-verify");
  const button = byId("verify-button");
  if (button) button.addEventListener("click", () => runVerification());
  const fileInput = byId("bundle-file");
  if (fileInput) fileInput.addEventListener("change", () => setProgress(byId("verify-progress"), ""));
  if (root && root.dataset.autorun === "true" && root.dataset.bundleUrl) runVerification();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
else wire();
