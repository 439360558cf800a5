"use strict";
// Gives the admin's searchable dropdowns the names of their fields.
//
// Django's autocomplete fields hide their <select> behind select2's own
// widget: a "combobox" that select2 names after its current choice only
// (nothing at all while empty), with a search field that has no name.
// A screen reader then announces an unnamed combo box, and axe reports it.
// Each is named here after its field: the field's <label>, or in a tabular
// inline, which has no labels, the header of its column. Loaded on every
// admin page (templates/admin/base_site.html); a static file, as the
// Content-Security-Policy allows no inline script.
{
    let counter = 0;

    // The element whose text names the field of this <select>, given an id.
    function nameElement(select) {
        let element = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
        if (!element) {
            const cell = select.closest("td[class*='field-']");
            const field = cell && [...cell.classList].find((name) => name.startsWith("field-"));
            const table = cell && cell.closest("table");
            element = field && table && table.querySelector(`thead th.column-${CSS.escape(field.slice(6))}`);
        }
        if (element && !element.id) {
            element.id = `field-name-${++counter}`;
        }
        return element;
    }

    function name(select, container) {
        const label = nameElement(select);
        if (!label) {
            // Nothing on the page names it: fall back to the <select>'s own name.
            const text = select.getAttribute("aria-label");
            if (text) {
                container.querySelectorAll("[role=combobox], .select2-search__field").forEach((element) => {
                    element.removeAttribute("aria-labelledby");
                    element.setAttribute("aria-label", text);
                });
            }
            return;
        }
        // The combobox: "Person Ainur Kurmanov", the field's name, then its
        // choice as the hidden <select> holds it (select2's own box of the
        // choice would add the "×" that clears it).
        container
            .querySelectorAll("[role=combobox]")
            .forEach((element) => element.setAttribute("aria-labelledby", `${label.id} ${select.id}`));
        // The box showing the choice, and the search field of a multiple choice.
        container
            .querySelectorAll(".select2-selection__rendered[role=textbox], .select2-search__field")
            .forEach((element) => element.setAttribute("aria-labelledby", label.id));
    }

    // select2 (4.0.13, as Django ships it) puts the "remove all" button of a
    // multiple choice that is not required straight into its list of
    // choices, as a <span> among the <li>: a list that is not a list to a
    // screen reader, and axe reports it. It is given a list item of its own
    // (select2 finds the button by its class anywhere in the widget).
    function mendList(container) {
        container.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear").forEach((button) => {
            const item = document.createElement("li");
            item.className = "select2-selection__clear-item";
            button.replaceWith(item);
            item.append(button);
        });
    }

    function nameAll(root) {
        root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
            const container = select.nextElementSibling;
            if (container && container.classList.contains("select2-container")) {
                mendList(container);
                name(select, container);
            }
        });
    }

    // select2 builds its widget when the page is ready, and again for each
    // row added to an inline (and rebuilds a multiple choice's search field
    // on every change): name whatever it has just built.
    new MutationObserver((mutations) => {
        const roots = new Set();
        for (const mutation of mutations) {
            for (const node of mutation.addedNodes) {
                if (node.nodeType === Node.ELEMENT_NODE && node.closest(".select2-container, .form-row, .inline-related")) {
                    roots.add(node.closest(".inline-related, form") || document);
                }
            }
        }
        roots.forEach(nameAll);
    }).observe(document.documentElement, {childList: true, subtree: true});

    // The search field of a single choice appears in a dropdown at the end
    // of the page when it opens: select2 says so through jQuery's events.
    document.addEventListener("DOMContentLoaded", () => {
        const $ = window.django && window.django.jQuery;
        if (!$) {
            return;
        }
        $(document).on("select2:open", (event) => {
            const label = nameElement(event.target);
            const select2 = $(event.target).data("select2");
            if (label && select2) {
                select2.$dropdown.find(".select2-search__field").attr("aria-labelledby", label.id);
            }
        });
    });
}
