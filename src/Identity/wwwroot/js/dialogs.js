// Confirmation steps on Identity's pages are plain page states (they work without JavaScript). This only adds the
// keyboard convention of a dialog: Escape takes the step's cancel link, and focus starts on that cancel link.
(function () {
    var dialog = document.querySelector("[data-dialog]");
    if (!dialog) {
        return;
    }

    var cancel = dialog.querySelector("[data-dialog-cancel]");
    // The harmless choice has focus, so a stray Enter keeps access. The step is reached through a URL fragment
    // (#confirm-withdraw), and the browser's scroll to that fragment after load resets focus to the document: focus
    // again once the page has loaded and settled, unless the person has already moved focus into the step.
    function focusCancel() {
        if (cancel && !dialog.contains(document.activeElement)) {
            cancel.focus({ preventScroll: true });
        }
    }

    focusCancel();
    window.addEventListener("load", function () {
        focusCancel();
        window.requestAnimationFrame(function () { window.setTimeout(focusCancel, 0); });
    });

    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && cancel) {
            event.preventDefault();
            window.location.assign(cancel.href);
        }
    });
})();
