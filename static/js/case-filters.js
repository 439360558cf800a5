"use strict";
// The case list's filters show the filters of the cases on the page.
//
// Back and Forward show a page as it was left, with what was typed into its
// form: after filtering by "Zhovtis", Back shows the whole list with
// "Zhovtis" still in the search box. The form's autocomplete="off" stops
// Chromium from restoring typed values into a page it loads again; a page
// kept whole in the back/forward cache is reset here to the filters it was
// served with. A static file: the Content-Security-Policy allows no inline script.
window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
        document.querySelectorAll("form.filters").forEach((form) => form.reset());
    }
});
