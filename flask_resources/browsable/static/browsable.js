// The browsable API page: each form sends its verb with fetch and shows the
// answer. Everything from the server is written with textContent; links are
// made only to this site's own paths (the page the server renders links only
// the paths its routes answer; here the origin is checked).
"use strict";

(function () {
  const AUTHORIZATION_KEY = "flask-resources:authorization";
  // No backslash anywhere: browsers read "/\host" as "//host".
  const LINK = /^(?:https?:\/\/|\/(?![\/\\]))[^\s<>\\\x00-\x1f\x7f]{0,2000}$/;
  const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;

  function sameOrigin(href) {
    try {
      return new URL(href, window.location.href).origin === window.location.origin;
    } catch (error) {
      return false;
    }
  }

  function append(parent, text, href) {
    if (typeof href === "string" && LINK.test(href) && sameOrigin(href)) {
      const link = document.createElement("a");
      link.href = href;
      link.textContent = text;
      parent.appendChild(link);
    } else {
      parent.appendChild(document.createTextNode(text));
    }
  }

  // Pretty-printed JSON with its URL strings as links, as the server does.
  function showBody(pre, text) {
    pre.textContent = "";
    let pretty = text;
    try {
      pretty = JSON.stringify(JSON.parse(text), null, 2);
    } catch (error) {
      pre.textContent = text;
      return;
    }
    let position = 0;
    for (const match of pretty.matchAll(JSON_STRING)) {
      append(pre, pretty.slice(position, match.index));
      append(pre, match[0], JSON.parse(match[0]));
      position = match.index + match[0].length;
    }
    append(pre, pretty.slice(position));
  }

  function showHeaders(list, headers) {
    list.textContent = "";
    headers.forEach(function (value, name) {
      const term = document.createElement("dt");
      term.textContent = name;
      const detail = document.createElement("dd");
      append(detail, value, name === "location" ? value : undefined);
      list.append(term, detail);
    });
  }

  // The body to send for the chosen content type. Form types take the
  // editor's JSON object as their fields, or its text as it is.
  function encode(type, text, headers) {
    let fields = null;
    if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data") {
      try {
        const parsed = JSON.parse(text);
        if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
          fields = parsed;
        }
      } catch (error) {
        fields = null;
      }
    }
    if (fields === null) {
      if (type === "multipart/form-data") {
        throw new Error("multipart/form-data needs a JSON object of fields in the editor");
      }
      headers["Content-Type"] = type;
      return text;
    }
    const form = type === "multipart/form-data" ? new FormData() : new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) {
      const values = Array.isArray(value) ? value : [value];
      for (const item of values) {
        form.append(key, item === null ? "" : typeof item === "object" ? JSON.stringify(item) : String(item));
      }
    }
    if (type !== "multipart/form-data") {
      headers["Content-Type"] = type;
    }
    return form;
  }

  async function send(form) {
    const result = form.nextElementSibling;
    const status = result.querySelector(".result-status");
    const headerList = result.querySelector(".result-headers");
    const pre = result.querySelector(".result-body");
    result.hidden = false;
    headerList.textContent = "";
    pre.textContent = "";
    status.className = "result-status status";
    const headers = { Accept: "application/json" };
    const authorization = form.elements.authorization.value.trim();
    if (authorization) {
      headers.Authorization = authorization;
    }
    try {
      sessionStorage.setItem(AUTHORIZATION_KEY, form.elements.authorization.value);
    } catch (error) {
      // Storage may be off; the field still works for this page.
    }
    let response;
    let text;
    try {
      let body;
      if (form.elements.body) {
        body = encode(form.elements["content-type"].value, form.elements.body.value, headers);
      }
      status.textContent = "Sending " + form.dataset.method + "...";
      response = await fetch(form.dataset.url, {
        method: form.dataset.method,
        headers: headers,
        body: body,
        credentials: "same-origin",
      });
      text = await response.text();
    } catch (error) {
      status.textContent = "Failed: " + error.message;
      return;
    }
    showHeaders(headerList, response.headers);
    showBody(pre, text);
    // The status goes last: once it shows, the whole answer is on the page.
    status.textContent = ("HTTP " + response.status + " " + response.statusText).trim();
    status.classList.add("status-" + Math.floor(response.status / 100) + "xx");
  }

  document.querySelectorAll("form.request-form").forEach(function (form) {
    try {
      form.elements.authorization.value = sessionStorage.getItem(AUTHORIZATION_KEY) || "";
    } catch (error) {
      // No storage: start empty.
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(form);
    });
  });
})();
