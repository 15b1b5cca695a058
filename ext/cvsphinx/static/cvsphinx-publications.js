// "Copy BibTeX": a real <button>, so Tab and Enter or Space work as well as a click.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.cv-copy");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(source.textContent);
    button.textContent = button.dataset.copied || "Copied";
  } catch (err) {
    // no clipboard (an insecure origin): select the text so Ctrl+C copies it
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    button.textContent = button.dataset.selected || "Selected: press Ctrl+C";
  }
  setTimeout(() => { button.textContent = label; }, 2000);
});
