// Validation of property values in request form (NOTION.md "Property values") and their
// response form, as the Notion double stores and returns them.
export const LIMITS = { text: 2000, items: 100, url: 2000, optionName: 100, body: 500 * 1024 };

export class ValidationError extends Error {}

const fail = (msg) => { throw new ValidationError(msg); };
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function richText(name, value) {
  if (!Array.isArray(value)) fail(`body.properties.${name} should be an array of rich text items`);
  if (value.length > LIMITS.items) fail(`body.properties.${name}.length should be ≤ \`${LIMITS.items}\`, instead was \`${value.length}\`.`);
  return value.map((item, i) => {
    if (!isObj(item) || !isObj(item.text) || typeof item.text.content !== 'string') {
      fail(`body.properties.${name}[${i}].text.content should be a string`);
    }
    // JavaScript's length: UTF-16 code units, as Notion counts.
    if (item.text.content.length > LIMITS.text) {
      fail(`body.properties.${name}[${i}].text.content.length should be ≤ \`${LIMITS.text}\`, instead was \`${item.text.content.length}\`.`);
    }
    const content = item.text.content;
    return { type: 'text', text: { content, link: null }, annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' }, plain_text: content, href: null };
  });
}

function option(name, v) {
  if (!isObj(v) || typeof v.name !== 'string' || v.name === '') fail(`body.properties.${name}.name should be a non-empty string`);
  if (v.name.includes(',')) fail(`body.properties.${name}: select option names cannot contain commas`);
  if (v.name.length > LIMITS.optionName) fail(`body.properties.${name}.name.length should be ≤ \`${LIMITS.optionName}\``);
  return { id: Buffer.from(v.name).toString('hex').slice(0, 8), name: v.name, color: 'default' };
}

/** Checks one property value against its type; returns the response form (without id). */
export function toStored(name, type, value) {
  if (!isObj(value)) fail(`body.properties.${name} should be an object`);
  const keys = Object.keys(value).filter((k) => k !== 'type' && k !== 'id');
  if (keys.length !== 1 || keys[0] !== type) {
    fail(`body.properties.${name}.${type} should be defined, instead was \`${keys.join(',') || 'undefined'}\`.`);
  }
  const v = value[type];
  switch (type) {
    case 'title':
    case 'rich_text':
      return richText(name, v);
    case 'number':
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) fail(`body.properties.${name}.number should be a number or null`);
      return v;
    case 'select':
      return v === null ? null : option(name, v);
    case 'multi_select':
      if (!Array.isArray(v)) fail(`body.properties.${name}.multi_select should be an array`);
      if (v.length > LIMITS.items) fail(`body.properties.${name}.multi_select.length should be ≤ \`${LIMITS.items}\``);
      return v.map((o) => option(name, o));
    case 'date':
      if (v === null) return null;
      if (!isObj(v) || typeof v.start !== 'string' || Number.isNaN(Date.parse(v.start))) fail(`body.properties.${name}.date.start should be an ISO 8601 date string`);
      return { start: v.start, end: v.end ?? null, time_zone: null };
    case 'checkbox':
      if (typeof v !== 'boolean') fail(`body.properties.${name}.checkbox should be a boolean`);
      return v;
    case 'url':
      if (v === null) return null;
      if (typeof v !== 'string' || v === '') fail(`body.properties.${name}.url should be a non-empty string or null`);
      if (v.length > LIMITS.url) fail(`body.properties.${name}.url.length should be ≤ \`${LIMITS.url}\``);
      return v;
    default:
      return fail(`property type ${type} is not supported by the double`);
  }
}

export function emptyValue(type) {
  if (type === 'title' || type === 'rich_text' || type === 'multi_select') return [];
  if (type === 'checkbox') return false;
  return null;
}

/** The plain text of a stored title / rich_text value, the name of a select. */
export function plainText(type, stored) {
  if (type === 'title' || type === 'rich_text') return (stored || []).map((t) => t.plain_text).join('');
  if (type === 'select') return stored ? stored.name : '';
  return stored === null || stored === undefined ? '' : String(stored);
}
