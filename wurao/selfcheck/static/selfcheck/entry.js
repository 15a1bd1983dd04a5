// 自查自纠: the fix fields matter only for "发现问题"; show them when that result is chosen.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("entry-form");
  const fix = document.getElementById("fix-fields");
  if (!form || !fix) return;
  const sync = () => {
    const chosen = form.querySelector('input[name="result"]:checked');
    fix.hidden = !(chosen && chosen.value === "problem");
  };
  form.addEventListener("change", sync);
  sync();
});
