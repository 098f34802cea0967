// The two DOM helpers every module uses.
export const $ = (id) => document.getElementById(id);

// An element: tag, its class names and its text (when given).
export const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};
