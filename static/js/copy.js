// "Copier" and "Imprimer" buttons (progressive enhancement: the text stays selectable without JavaScript).
document.addEventListener("click", async (event) => {
  const copy = event.target.closest("[data-copy-target]");
  if (copy) {
    const source = document.getElementById(copy.dataset.copyTarget);
    const status = document.getElementById("volet-copie");
    try {
      await navigator.clipboard.writeText(source.value);
    } catch (error) {
      source.select();
      document.execCommand("copy");
    }
    if (status) status.textContent = copy.dataset.copiedMessage || "Copié dans le presse-papiers.";
  }
  if (event.target.closest("[data-print]")) window.print();
});
