/**
 * The interactive reference's browser script, as text: plain ES2020 without template literals (it sits inside
 * one), every value from the document written with `textContent`, never as HTML. It reads the page's
 * `<script type="application/json" id="skiff-docs-config">`, fetches the document, renders each operation, and
 * sends "Try it" requests to the same origin with the values typed in.
 *
 * @example
 * ```ts
 * const html = `<script nonce="${nonce}">${DOCS_SCRIPT}</script>`;
 * ```
 */
export const DOCS_SCRIPT = String.raw`
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("skiff-docs-config").textContent);
  var root = document.getElementById("skiff-docs");
  var credentials = {};

  function h(tag, attrs) {
    var el = document.createElement(tag);
    for (var key in attrs || {}) {
      if (key === "text") el.textContent = attrs[key];
      else if (key.slice(0, 2) === "on") el.addEventListener(key.slice(2), attrs[key]);
      else if (attrs[key] !== undefined && attrs[key] !== false) el.setAttribute(key, attrs[key]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === undefined || child === null) continue;
      el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return el;
  }

  function resolve(doc, node, depth) {
    if (!node || typeof node !== "object" || depth > 12) return node || {};
    if (typeof node.$ref === "string" && node.$ref.indexOf("#/") === 0) {
      var target = node.$ref.slice(2).split("/").reduce(function (at, part) {
        return at && at[decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~")];
      }, doc);
      var merged = Object.assign({}, resolve(doc, target, depth + 1));
      if (node.description) merged.description = node.description;
      return merged;
    }
    return node;
  }

  function example(doc, schema, depth) {
    schema = resolve(doc, schema, depth || 0);
    depth = (depth || 0) + 1;
    if (depth > 8) return null;
    if (schema.examples && schema.examples.length) return schema.examples[0];
    if ("example" in schema) return schema.example;
    if ("default" in schema) return schema["default"];
    if ("const" in schema) return schema["const"];
    if (schema["enum"] && schema["enum"].length) return schema["enum"][0];
    var options = schema.anyOf || schema.oneOf;
    if (options && options.length) return example(doc, options[0], depth);
    if (schema.allOf) return schema.allOf.reduce(function (acc, part) {
      var value = example(doc, part, depth);
      return value && typeof value === "object" ? Object.assign(acc, value) : acc;
    }, {});
    var type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (type === "object" || schema.properties) {
      var out = {};
      for (var name in schema.properties || {}) out[name] = example(doc, schema.properties[name], depth);
      return out;
    }
    if (type === "array") return [example(doc, schema.items || {}, depth)];
    if (type === "integer" || type === "number") {
      var low = typeof schema.minimum === "number" ? schema.minimum : typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum + 1 : 1;
      return type === "integer" ? Math.ceil(low) : low;
    }
    if (type === "boolean") return true;
    if (type === "null") return null;
    if (type === "string") {
      var formats = { email: "user@example.com", uuid: "00000000-0000-4000-8000-000000000000", "date-time": new Date().toISOString(), date: new Date().toISOString().slice(0, 10), uri: "https://example.com" };
      return formats[schema.format] || "string";
    }
    return null;
  }

  function typeOf(doc, schema) {
    schema = resolve(doc, schema, 0);
    var type = schema.type || (schema.properties ? "object" : schema.anyOf || schema.oneOf ? "one of" : "any");
    if (Array.isArray(type)) type = type.join(" | ");
    if (type === "array") type = typeOf(doc, schema.items || {}) + "[]";
    return type + (schema.format ? " (" + schema.format + ")" : "");
  }

  function groupOf(path, op) {
    if (op.tags && op.tags.length) return op.tags[0];
    var parts = path.split("/").filter(function (p) { return p && p !== "api" && p.charAt(0) !== "{"; });
    return parts[0] || "default";
  }

  function pre(value) {
    return h("pre", { text: typeof value === "string" ? value : JSON.stringify(value, null, 2) });
  }

  function parametersTable(doc, params) {
    var rows = params.map(function (p) {
      return h("tr", null, h("td", null, h("code", { text: p.name })), h("td", { text: p["in"] }),
        h("td", { text: typeOf(doc, p.schema || {}) }), h("td", { text: p.required ? "required" : "" }),
        h("td", { text: p.description || "" }));
    });
    return h("table", { "class": "params" },
      h("thead", null, h("tr", null, h("th", { text: "name" }), h("th", { text: "in" }), h("th", { text: "type" }), h("th", { text: "" }), h("th", { text: "" }))),
      h.apply(null, ["tbody", null].concat(rows)));
  }

  function responsesList(doc, responses) {
    var items = Object.keys(responses).map(function (status) {
      var response = resolve(doc, responses[status], 0);
      var content = response.content || {};
      var type = Object.keys(content)[0];
      var item = h("li", { "class": "response" }, h("span", { "class": "status s" + status.charAt(0), text: status }), " " + (response.description || ""));
      if (type) item.appendChild(h("details", null, h("summary", { text: type }), pre(example(doc, content[type].schema || {}))));
      return item;
    });
    return h.apply(null, ["ul", { "class": "responses" }].concat(items));
  }

  function tryIt(doc, method, path, op) {
    var params = op.parameters || [];
    var inputs = params.map(function (p) {
      var value = example(doc, p.schema || {});
      var input = h("input", { name: p.name, "data-in": p["in"], "aria-label": p.name + " (" + p["in"] + ")", value: p["in"] === "path" || p.required || (p.schema && "default" in resolve(doc, p.schema, 0)) ? String(value === null ? "" : value) : "" });
      return { param: p, input: input, row: h("label", null, h("span", { text: p.name + " (" + p["in"] + ")" }), input) };
    });
    var body = op.requestBody && op.requestBody.content && op.requestBody.content["application/json"];
    var textarea = body ? h("textarea", { rows: "8", "aria-label": "JSON body" }) : undefined;
    if (textarea) textarea.value = JSON.stringify(example(doc, body.schema || {}), null, 2);
    var result = h("div", { "class": "result", "aria-live": "polite" });
    var send = h("button", { type: "button", "class": "send", text: "Send " + method.toUpperCase() + " " + path, onclick: function () {
      var url = path;
      var query = new URLSearchParams();
      var headers = {};
      inputs.forEach(function (entry) {
        var value = entry.input.value;
        if (entry.param["in"] === "path") url = url.split("{" + entry.param.name + "}").join(encodeURIComponent(value));
        else if (value === "") return;
        else if (entry.param["in"] === "query") query.append(entry.param.name, value);
        else if (entry.param["in"] === "header") headers[entry.param.name] = value;
      });
      (op.security || []).forEach(function (requirement) {
        Object.keys(requirement).forEach(function (name) {
          var scheme = ((doc.components || {}).securitySchemes || {})[name] || {};
          var value = credentials[name];
          if (!value) return;
          if (scheme.type === "apiKey" && scheme["in"] === "header") headers[scheme.name] = value;
          if (scheme.type === "apiKey" && scheme["in"] === "query") query.append(scheme.name, value);
          if (scheme.type === "http") headers.authorization = (scheme.scheme === "bearer" ? "Bearer " : "Basic ") + value;
        });
      });
      if (textarea) headers["content-type"] = "application/json";
      var qs = query.toString();
      result.textContent = "sending...";
      fetch(url + (qs ? "?" + qs : ""), { method: method.toUpperCase(), headers: headers, body: textarea ? textarea.value : undefined })
        .then(function (res) {
          return res.text().then(function (text) {
            var shown = text;
            try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON: as is */ }
            result.textContent = "";
            result.appendChild(h("div", { "class": "status s" + String(res.status).charAt(0), "data-status": String(res.status), text: res.status + " " + res.statusText }));
            result.appendChild(pre(shown));
          });
        })
        .catch(function (error) { result.textContent = "Request failed: " + error.message; });
    } });
    return h.apply(null, ["div", { "class": "try" }, h("h4", { text: "Try it" })]
      .concat(inputs.map(function (e) { return e.row; }))
      .concat([textarea ? h("label", null, h("span", { text: "JSON body" }), textarea) : undefined, send, result]));
  }

  function operation(doc, method, path, op) {
    var details = h("details", { "class": "op", id: op.operationId },
      h("summary", null, h("span", { "class": "method " + method, text: method.toUpperCase() }), h("code", { "class": "path", text: path }),
        h("span", { "class": "summary", text: op.summary || "" }), op.security ? h("span", { "class": "lock", title: "needs credentials", text: "key" }) : undefined));
    if (op.description) details.appendChild(h("p", { text: op.description }));
    if (op.parameters && op.parameters.length) details.appendChild(h("h4", { text: "Parameters" }));
    if (op.parameters && op.parameters.length) details.appendChild(parametersTable(doc, op.parameters));
    var json = op.requestBody && op.requestBody.content && op.requestBody.content["application/json"];
    if (json) details.appendChild(h("h4", { text: "Request body (application/json)" }));
    if (json) details.appendChild(pre(example(doc, json.schema || {})));
    details.appendChild(h("h4", { text: "Responses" }));
    details.appendChild(responsesList(doc, op.responses || {}));
    details.appendChild(tryIt(doc, method, path, op));
    return details;
  }

  function authorize(doc) {
    var schemes = (doc.components || {}).securitySchemes || {};
    var names = Object.keys(schemes);
    if (!names.length) return undefined;
    return h.apply(null, ["section", { "class": "auth" }, h("h2", { text: "Credentials" })].concat(names.map(function (name) {
      var scheme = schemes[name];
      var label = scheme.type === "apiKey" ? scheme.name + " (" + scheme["in"] + ")" : scheme.scheme;
      return h("label", null, h("span", { text: name + ": " + label }), h("input", { type: "password", name: "credential-" + name, autocomplete: "off", oninput: function (event) { credentials[name] = event.target.value; } }));
    })));
  }

  function render(doc) {
    root.textContent = "";
    var info = doc.info || {};
    root.appendChild(h("header", null, h("h1", { text: info.title || "API" }), h("span", { "class": "version", text: info.version || "" })));
    if (info.description) root.appendChild(h("p", { text: info.description }));
    var auth = authorize(doc);
    if (auth) root.appendChild(auth);
    var groups = {};
    var order = [];
    Object.keys(doc.paths || {}).forEach(function (path) {
      var item = doc.paths[path];
      ["get", "put", "post", "delete", "options", "head", "patch", "trace"].forEach(function (method) {
        if (!item[method]) return;
        var group = groupOf(path, item[method]);
        if (!groups[group]) { groups[group] = []; order.push(group); }
        groups[group].push(operation(doc, method, path, item[method]));
      });
    });
    order.forEach(function (group) {
      root.appendChild(h.apply(null, ["section", { "class": "group" }, h("h2", { text: group })].concat(groups[group])));
    });
    root.setAttribute("data-ready", "true");
  }

  fetch(config.url, { headers: { accept: "application/json" } })
    .then(function (res) {
      if (!res.ok) throw new Error(config.url + " answered " + res.status);
      return res.json();
    })
    .then(render)
    .catch(function (error) {
      root.textContent = "Could not load the API description: " + error.message;
      root.setAttribute("data-ready", "error");
    });
})();
`;
