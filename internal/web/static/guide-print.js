// Print buttons of the guide pages ([data-print]): inline handlers are
// forbidden by the Content-Security-Policy, so they are wired here.
document.addEventListener("DOMContentLoaded", () => {
  for (const b of document.querySelectorAll("[data-print]")) {
    b.addEventListener("click", () => window.print());
  }
});
