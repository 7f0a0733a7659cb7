import { createHash } from 'node:crypto';
import { AppError } from '@shared/ipc/result';
import { creatorTool, parseEmbeddedMetadata, type EmbeddedMetadata } from './schema';

export const XMP_NAMESPACES = {
  x: 'adobe:ns:meta/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dc: 'http://purl.org/dc/elements/1.1/',
  xmp: 'http://ns.adobe.com/xap/1.0/',
  xmpNote: 'http://ns.adobe.com/xmp/note/',
  bs: 'https://banana.studio/ns/1.0/',
} as const;

/** The pieces of an XMP packet this app writes; absent fields are left out of the packet. */
export interface XmpFields {
  description?: string;
  creatorTool?: string;
  /** Already XML-safe JSON (see `metadataJson`). */
  metadataJson?: string;
  /** Points readers at an Extended XMP packet (JPEG only, when the JSON is too big for one segment). */
  extendedXmpGuid?: string;
}

/** A standard packet (`<?xpacket?>` wrapper) or an Extended XMP one, which the spec wants bare. */
export function buildXmpPacket(fields: XmpFields, wrapper = true): string {
  const properties: string[] = [];
  const namespaces = new Set<keyof typeof XMP_NAMESPACES>();
  if (fields.creatorTool !== undefined) {
    namespaces.add('xmp');
    properties.push(`<xmp:CreatorTool>${escapeXmlText(fields.creatorTool)}</xmp:CreatorTool>`);
  }
  if (fields.description !== undefined) {
    namespaces.add('dc');
    properties.push(
      '<dc:description><rdf:Alt>' +
        `<rdf:li xml:lang="x-default">${escapeXmlText(fields.description)}</rdf:li>` +
        '</rdf:Alt></dc:description>',
    );
  }
  if (fields.extendedXmpGuid !== undefined) {
    namespaces.add('xmpNote');
    properties.push(
      `<xmpNote:HasExtendedXMP>${escapeXmlText(fields.extendedXmpGuid)}</xmpNote:HasExtendedXMP>`,
    );
  }
  if (fields.metadataJson !== undefined) {
    namespaces.add('bs');
    properties.push(`<bs:metadata>${escapeXmlText(fields.metadataJson)}</bs:metadata>`);
  }
  const declarations = [...namespaces]
    .map((prefix) => ` xmlns:${prefix}="${XMP_NAMESPACES[prefix]}"`)
    .join('');
  const body =
    `<x:xmpmeta xmlns:x="${XMP_NAMESPACES.x}"><rdf:RDF xmlns:rdf="${XMP_NAMESPACES.rdf}">` +
    `<rdf:Description rdf:about=""${declarations}>${properties.join('')}</rdf:Description>` +
    '</rdf:RDF></x:xmpmeta>';
  return wrapper
    ? `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>${body}<?xpacket end="w"?>`
    : body;
}

/** The full packet for a result, with the whole prompt as its description. */
export function buildMetadataXmp(meta: EmbeddedMetadata): string {
  return buildXmpPacket({
    creatorTool: creatorTool(meta),
    ...descriptionField(meta.prompt),
    metadataJson: metadataJson(meta),
  });
}

export interface LimitedXmp {
  standard: string;
  /** Extended XMP packet and its GUID, only when the JSON could not fit in the standard packet. */
  extended: { packet: string; guid: string } | null;
}

/**
 * XMP for a container with a size limit (a JPEG APP1 segment). The JSON is never cut: the
 * description (a display copy of the prompt) is shortened first, and if the JSON alone is too
 * big it moves to an Extended XMP packet, as the XMP spec (part 3) prescribes for JPEG.
 */
export function buildLimitedMetadataXmp(meta: EmbeddedMetadata, maxBytes: number): LimitedXmp {
  const json = metadataJson(meta);
  const single = fitDescription(
    { creatorTool: creatorTool(meta), metadataJson: json },
    meta.prompt,
    maxBytes,
  );
  if (single !== null) return { standard: single, extended: null };
  const packet = buildXmpPacket({ metadataJson: json }, false);
  const guid = extendedXmpGuid(Buffer.from(packet, 'utf8'));
  const standard = fitDescription(
    { creatorTool: creatorTool(meta), extendedXmpGuid: guid },
    meta.prompt,
    maxBytes,
  );
  if (standard === null) {
    throw new AppError('VALIDATION', `The image metadata does not fit in ${maxBytes} bytes of XMP.`);
  }
  return { standard, extended: { packet, guid } };
}

/** The Extended XMP GUID: the MD5 of the extended packet, as 32 uppercase hex digits. */
export function extendedXmpGuid(packet: Buffer): string {
  return createHash('md5').update(packet).digest('hex').toUpperCase();
}

/** Our metadata from an XMP packet; anything else (foreign or damaged XMP) is `null`. */
export function readEmbeddedMetadataFromXmp(xml: string): EmbeddedMetadata | null {
  const json = readXmpProperty(xml, XMP_NAMESPACES.bs, 'metadata');
  return json === null ? null : parseEmbeddedMetadata(json);
}

/** `dc:description` (x-default, else the first language), so a foreign image's caption can be shown. */
export function readDescription(xml: string): string | null {
  const tokens = tokenizeXml(xml);
  if (!tokens) return null;
  const names = qualifiedNames(tokens, XMP_NAMESPACES.dc, 'description');
  const start = tokens.findIndex((token) => token.kind === 'start' && names.has(token.name));
  if (start < 0) return null;
  const items = languageItems(tokens, start);
  const chosen = items.find((item) => item.lang === 'x-default') ?? items[0];
  const text = chosen ? chosen.text : simpleElementText(tokens, start);
  return text ? text : null;
}

/**
 * A simple property's value, in either RDF form: `<p:name>value</p:name>` or the attribute
 * `p:name="value"`. The prefix is whatever the file binds to `namespace`, not a fixed string.
 */
export function readXmpProperty(xml: string, namespace: string, localName: string): string | null {
  const tokens = tokenizeXml(xml);
  if (!tokens) return null;
  const names = qualifiedNames(tokens, namespace, localName);
  for (const [index, token] of tokens.entries()) {
    if (token.kind !== 'start') continue;
    for (const [attribute, value] of token.attributes) if (names.has(attribute)) return value;
    if (names.has(token.name)) return simpleElementText(tokens, index);
  }
  return null;
}

/**
 * Our JSON, safe to put in XML text: JSON.stringify already escapes control characters, and the
 * two non-characters XML forbids but JSON allows are escaped here, so the JSON survives exactly.
 */
function metadataJson(meta: EmbeddedMetadata): string {
  return JSON.stringify(meta).replace(/[\uFFFE\uFFFF]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
}

function descriptionField(prompt: string): Pick<XmpFields, 'description'> {
  return prompt === '' ? {} : { description: prompt };
}

/** The packet with as much of the prompt as fits in `maxBytes`, or null if even no prompt is too big. */
function fitDescription(fields: XmpFields, prompt: string, maxBytes: number): string | null {
  const full = buildXmpPacket({ ...fields, ...descriptionField(prompt) });
  if (utf8Length(full) <= maxBytes) return full;
  const bare = buildXmpPacket(fields);
  const budget = maxBytes - utf8Length(buildXmpPacket({ ...fields, description: '' }));
  const shortened = truncateForXml(prompt, budget);
  if (shortened !== '') return buildXmpPacket({ ...fields, description: shortened });
  return utf8Length(bare) <= maxBytes ? bare : null;
}

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The longest prefix (whole graphemes, so no half emoji) whose escaped UTF-8 form, plus "…", fits. */
export function truncateForXml(text: string, maxBytes: number): string {
  const budget = maxBytes - utf8Length(ELLIPSIS);
  let used = 0;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    used += utf8Length(escapeXmlText(segment));
    if (used > budget) break;
    kept += segment;
  }
  return kept === '' ? '' : kept + ELLIPSIS;
}

// Characters XML 1.0 cannot carry at all, even escaped.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const XML_TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

/** Text content escaping; `\r` too, because XML parsers would otherwise turn `\r\n` into `\n`. */
export function escapeXmlText(text: string): string {
  return text.replace(XML_FORBIDDEN, '').replace(/[&<>\r]/g, (char) => XML_TEXT_ESCAPES[char] ?? char);
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

type XmlToken =
  | { kind: 'start'; name: string; attributes: Map<string, string>; selfClosing: boolean }
  | { kind: 'end'; name: string }
  | { kind: 'text'; text: string };

/**
 * A small XML tokenizer: enough for RDF/XMP (tags, attributes, entities, CDATA, comments and
 * processing instructions), without a DOM and without DTD entity expansion. Namespace scoping
 * is flattened, which XMP's single-Description shape allows. Unterminated markup → null.
 */
function tokenizeXml(xml: string): XmlToken[] | null {
  const tokens: XmlToken[] = [];
  let pos = 0;
  while (pos < xml.length) {
    const open = xml.indexOf('<', pos);
    const textEnd = open < 0 ? xml.length : open;
    if (textEnd > pos) tokens.push({ kind: 'text', text: decodeEntities(xml.slice(pos, textEnd)) });
    if (open < 0) break;
    const next = readMarkup(xml, open);
    if (!next) return null;
    if (next.token) tokens.push(next.token);
    pos = next.end;
  }
  return tokens;
}

const SKIPPED_MARKUP: ReadonlyArray<readonly [string, string]> = [
  ['<!--', '-->'],
  ['<?', '?>'],
  ['<!', '>'],
];

function readMarkup(xml: string, open: number): { token: XmlToken | null; end: number } | null {
  if (xml.startsWith('<![CDATA[', open)) {
    const close = xml.indexOf(']]>', open + 9);
    return close < 0 ? null : { token: { kind: 'text', text: xml.slice(open + 9, close) }, end: close + 3 };
  }
  for (const [start, stop] of SKIPPED_MARKUP) {
    if (!xml.startsWith(start, open)) continue;
    const close = xml.indexOf(stop, open + start.length);
    return close < 0 ? null : { token: null, end: close + stop.length };
  }
  const close = findTagEnd(xml, open + 1);
  if (close < 0) return null;
  return { token: parseTag(xml.slice(open + 1, close)), end: close + 1 };
}

/** The `>` closing a tag, skipping any inside quoted attribute values (they may hold a raw `>`). */
function findTagEnd(xml: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < xml.length; i++) {
    const char = xml[i];
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return i;
    }
  }
  return -1;
}

const ATTRIBUTE = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function parseTag(body: string): XmlToken {
  if (body.startsWith('/')) return { kind: 'end', name: body.slice(1).trim() };
  const selfClosing = body.endsWith('/');
  const name = /^[^\s/]+/.exec(body)?.[0] ?? '';
  const attributes = new Map<string, string>();
  for (const match of body.slice(name.length).matchAll(ATTRIBUTE)) {
    attributes.set(match[1] ?? '', decodeEntities(match[2] ?? match[3] ?? ''));
  }
  return { kind: 'start', name, attributes, selfClosing };
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (entity, name: string) => {
    if (!name.startsWith('#')) return NAMED_ENTITIES[name] ?? entity;
    const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}

/** Every `prefix:localName` the document could use for this namespace. */
function qualifiedNames(tokens: XmlToken[], namespace: string, localName: string): Set<string> {
  const names = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'start') continue;
    for (const [attribute, value] of token.attributes) {
      if (attribute.startsWith('xmlns:') && value === namespace)
        names.add(`${attribute.slice(6)}:${localName}`);
    }
  }
  return names;
}

/** The text of the element starting at `start`; null if it holds child elements (a structured value). */
function simpleElementText(tokens: XmlToken[], start: number): string | null {
  const element = tokens[start];
  if (element?.kind !== 'start') return null;
  if (element.selfClosing) return '';
  let text = '';
  for (let i = start + 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.kind === 'text') text += token.text;
    else if (token?.kind === 'end' && token.name === element.name) return text;
    else return null;
  }
  return null;
}

/** The `rdf:li` items (with their `xml:lang`) inside the element starting at `start`. */
function languageItems(tokens: XmlToken[], start: number): Array<{ lang: string | null; text: string }> {
  const element = tokens[start];
  const items: Array<{ lang: string | null; text: string }> = [];
  if (element?.kind !== 'start' || element.selfClosing) return items;
  for (let i = start + 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.kind === 'end' && token.name === element.name) break;
    if (token?.kind !== 'start' || !token.name.endsWith(':li')) continue;
    const text = simpleElementText(tokens, i);
    if (text !== null) items.push({ lang: token.attributes.get('xml:lang') ?? null, text });
  }
  return items;
}
