// Confirmation steps on Identity's pages are plain page states (they work without JavaScript). This only adds the
// keyboard convention of a dialog: Escape takes the step's cancel link, and focus starts on that cancel link.
(function () {
    var dialog = document.querySelector("[data-dialog]");
    if (!dialog) {
        return;
    }

    var cancel = dialog.querySelector("[data-dialog-cancel]");
    // The harmless choice has focus, so a stray Enter keeps access.
    if (cancel) {
        cancel.focus();
    }

    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && cancel) {
            event.preventDefault();
            window.location.assign(cancel.href);
        }
    });
})();
