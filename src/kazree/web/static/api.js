// Calls to the kazree API; errors carry the problem+json document.

import { t } from "./i18n.js";

export { fmt } from "./i18n.js";

// The HTTP reason phrase the service gives as a problem's title, in the dashboard's language.
function reason(status) {
  const phrases = {
    400: t("Bad Request"),
    401: t("Unauthorized"),
    403: t("Forbidden"),
    404: t("Not Found"),
    405: t("Method Not Allowed"),
    408: t("Request Timeout"),
    409: t("Conflict"),
    413: t("Content Too Large"),
    422: t("Unprocessable Content"),
    429: t("Too Many Requests"),
    500: t("Internal Server Error"),
    503: t("Service Unavailable"),
  };
  return phrases[status];
}

export class ApiError extends Error {
  constructor(problem) {
    const title = reason(problem.status) || problem.title || t("Error");
    const detail = problem.detail || t("request failed");
    super(t("{title}: {detail}", { title, detail }));
    this.problem = problem;
  }
}

export async function request(method, path, { body, key } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (key) headers.Authorization = `Bearer ${key}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError({ title: t("Network error"), detail: t("the service did not answer ({reason})", { reason: err.message }) });
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError(
      data && data.detail ? data : { status: response.status, title: `HTTP ${response.status}`, detail: text || response.statusText },
    );
  }
  return data;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

export function showError(box, err) {
  box.textContent = err instanceof Error ? err.message : String(err);
  box.hidden = false;
}

export function clearError(box) {
  box.textContent = "";
  box.hidden = true;
}
