// Small browser helpers the Portal calls through JS interop: copy to the clipboard and download a text file.
window.portal = {
  copy: async function (text) {
    await navigator.clipboard.writeText(text);
  },
  download: function (fileName, text) {
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
  },
  readFile: async function (input) {
    return input.files.length ? await input.files[0].text() : null;
  },
  // The callback catcher's response_mode=fragment parameters: the fragment never reaches the server.
  fragment: function () {
    return window.location.hash.length > 1 ? window.location.hash.substring(1) : null;
  },
  // The theme toggle's choice, for a year; the server reads it to prerender the page in that theme.
  saveTheme: function (theme) {
    document.cookie = "portal-theme=" + (theme === "dark" ? "dark" : "light") + "; path=/; max-age=31536000; samesite=lax" +
      (location.protocol === "https:" ? "; secure" : "");
  }
};

// A table that scrolls sideways (MudTable on a phone) must be reachable by keyboard to be scrolled (WCAG 2.1.1): give
// every table container a tab stop, as it appears. One observer for the page; it only sets an attribute.
(function () {
  const focusable = () => document.querySelectorAll(".mud-table-container:not([tabindex])")
    .forEach(container => container.setAttribute("tabindex", "0"));
  new MutationObserver(focusable).observe(document.documentElement, { childList: true, subtree: true });
  focusable();
})();
