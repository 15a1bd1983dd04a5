// Check-in by scanning the enterprise's code with the phone's camera; jsQR (from npm) decodes
// the frames. A scan fills the credit-code field and marks the check-in as scanned; typing in
// the field afterwards marks it as typed again, so the record says how the code was read.
(function () {
  "use strict";

  function setUp(root) {
    const start = root.querySelector("[data-scan-start]");
    const video = root.querySelector("video");
    const status = root.querySelector("[data-scan-status]");
    const field = root.querySelector("input[name=scanned]");
    const method = root.querySelector("input[name=method]");
    const say = (key) => { status.textContent = root.dataset[key] || ""; };
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof jsQR !== "function") {
      start.hidden = true;
      say("msgUnavailable");
      return;
    }
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    let stream = null;

    function stop() {
      if (stream) stream.getTracks().forEach((track) => track.stop());
      stream = null;
      video.hidden = true;
      start.disabled = false;
    }

    function look() {
      if (!stream) return;
      if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        const code = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        if (code && code.data.trim()) {
          field.value = code.data.trim();
          method.value = "scan";
          field.classList.remove("is-invalid");
          stop();
          say("msgRead");
          return;
        }
      }
      window.setTimeout(look, 150);
    }

    start.addEventListener("click", async () => {
      start.disabled = true;
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: "environment" },
          audio: false,
        });
      } catch (error) {
        start.disabled = false;
        say("msgDenied");
        return;
      }
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      say("msgScanning");
      look();
    });
    field.addEventListener("input", () => { method.value = "credit_code"; });
  }

  document.querySelectorAll("[data-scan]").forEach(setUp);
})();
