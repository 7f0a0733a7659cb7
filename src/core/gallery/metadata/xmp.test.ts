import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EmbeddedMetadata } from './schema';
import {
  buildLimitedMetadataXmp,
  buildMetadataXmp,
  buildXmpPacket,
  escapeXmlText,
  readDescription,
  readEmbeddedMetadataFromXmp,
  readXmpProperty,
  truncateForXml,
  XMP_NAMESPACES,
} from './xmp';
import { sampleMetadata } from './testMetadata';

const meta = (overrides: Partial<EmbeddedMetadata> = {}): EmbeddedMetadata =>
  sampleMetadata({ params: { aspectRatio: '1:1', outputFormat: 'jpeg', resolution: null }, ...overrides });

const foreignXmp = (description: string): string =>
  '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>' +
  '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 9.1">' +
  '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"' +
  ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Headline="A &quot;headline&quot;">' +
  '<!-- exported by another app -->' +
  '<dc:description><rdf:Alt>' +
  '<rdf:li xml:lang="fr-FR">Une légende</rdf:li>' +
  `<rdf:li xml:lang="x-default">${description}</rdf:li>` +
  '</rdf:Alt></dc:description>' +
  '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';

describe('XMP packets', () => {
  it('round-trips our metadata and exposes the prompt as dc:description', () => {
    const xmp = buildMetadataXmp(meta());
    expect(readEmbeddedMetadataFromXmp(xmp)).toEqual(meta());
    expect(readDescription(xmp)).toBe('a banana on the moon');
    expect(readXmpProperty(xmp, XMP_NAMESPACES.xmp, 'CreatorTool')).toBe('Banana Studio 0.1.0');
  });

  it.each([
    ['XML special characters', `<b>"Tom" & 'Jerry'</b> ]]> &amp; <!-- x -->`],
    ['Chinese and emoji', '一只戴着墨镜的猫 🍌🐱 👩‍👩‍👧 in 東京'],
    ['line breaks and tabs', 'line one\r\nline two\n\tindented'],
    ['JSON look-alikes', '{"app":"banana-studio"} \\u0041 \\"'],
  ])('round-trips a prompt with %s', (_label, prompt) => {
    const xmp = buildMetadataXmp(meta({ prompt }));
    expect(readEmbeddedMetadataFromXmp(xmp)?.prompt).toBe(prompt);
    expect(readDescription(xmp)).toBe(prompt);
  });

  it('keeps the JSON exact even for characters XML cannot carry, dropping them from the description', () => {
    const prompt = 'bell\u0007 nul\u0000 nonchar\uFFFF end';
    const xmp = buildMetadataXmp(meta({ prompt }));
    expect(readEmbeddedMetadataFromXmp(xmp)?.prompt).toBe(prompt);
    expect(readDescription(xmp)).toBe('bell nul nonchar end');
    for (const forbidden of ['\u0007', '\u0000', '\uFFFF']) expect(xmp).not.toContain(forbidden);
  });

  it('reads the metadata in attribute form, with any prefix bound to our namespace', () => {
    const json = JSON.stringify(meta({ prompt: `say "hi" & <bye>` }));
    const attribute = json.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const xmp =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
      `<rdf:Description rdf:about='' xmlns:banana='${XMP_NAMESPACES.bs}' banana:metadata="${attribute}"/>` +
      '</rdf:RDF></x:xmpmeta>';
    expect(readEmbeddedMetadataFromXmp(xmp)).toEqual(meta({ prompt: `say "hi" & <bye>` }));
  });

  it('reads the metadata from a CDATA section and numeric character references', () => {
    const json = JSON.stringify(meta({ prompt: 'café & <tea>' }));
    const [head, tail] = [json.slice(0, 20), json.slice(20)];
    const encodedHead = [...head].map((char) => `&#x${char.codePointAt(0)?.toString(16)};`).join('');
    const xmp =
      `<rdf:RDF xmlns:rdf="${XMP_NAMESPACES.rdf}"><rdf:Description xmlns:bs="${XMP_NAMESPACES.bs}">` +
      `<bs:metadata>${encodedHead}<![CDATA[${tail}]]></bs:metadata></rdf:Description></rdf:RDF>`;
    expect(readEmbeddedMetadataFromXmp(xmp)?.prompt).toBe('café & <tea>');
  });

  it('does not take text that only looks like our property for it', () => {
    const fake = escapeXmlText(`bs:metadata="${JSON.stringify(meta())}"`);
    const xmp = buildXmpPacket({ description: fake }).replace(
      'xmlns:dc=',
      `xmlns:bs="${XMP_NAMESPACES.bs}" xmlns:dc=`,
    );
    expect(readEmbeddedMetadataFromXmp(xmp)).toBeNull();
  });

  it("returns null for another app's XMP but still reads its description", () => {
    const xmp = foreignXmp('A sunset &amp; a &lt;boat&gt;');
    expect(readEmbeddedMetadataFromXmp(xmp)).toBeNull();
    expect(readDescription(xmp)).toBe('A sunset & a <boat>');
  });

  it('falls back to the first language when there is no x-default', () => {
    const xmp = foreignXmp('x').replace('xml:lang="x-default"', 'xml:lang="de"');
    expect(readDescription(xmp)).toBe('Une légende');
  });

  it('binds the namespace by URI, not by the prefix', () => {
    const json = escapeXmlText(JSON.stringify(meta()));
    const xmp = `<r xmlns:bs="https://example.com/other/"><bs:metadata>${json}</bs:metadata></r>`;
    expect(readEmbeddedMetadataFromXmp(xmp)).toBeNull();
  });

  it.each([
    ['unterminated markup', buildMetadataXmp(meta()).slice(0, 300)],
    [
      'an unterminated CDATA',
      `<r xmlns:bs="${XMP_NAMESPACES.bs}"><bs:metadata><![CDATA[{}</bs:metadata></r>`,
    ],
    ['a structured value', `<r xmlns:bs="${XMP_NAMESPACES.bs}"><bs:metadata><rdf:Bag/></bs:metadata></r>`],
    ['invalid JSON', `<r xmlns:bs="${XMP_NAMESPACES.bs}"><bs:metadata>{"app":</bs:metadata></r>`],
    ['not XML at all', '\u0000\u0001 garbage >>> <<<'],
    ['an empty string', ''],
  ])('returns null for %s', (_label, xmp) => {
    expect(readEmbeddedMetadataFromXmp(xmp)).toBeNull();
  });
});

describe('XMP within a size limit', () => {
  const size = (text: string): number => Buffer.byteLength(text, 'utf8');

  it('keeps everything in one packet when it fits', () => {
    const { standard, extended } = buildLimitedMetadataXmp(meta({ prompt: '猫'.repeat(5000) }), 65504);
    expect(extended).toBeNull();
    expect(readDescription(standard)).toBe('猫'.repeat(5000));
  });

  it('shortens the description, never the JSON', () => {
    const prompt = '猫'.repeat(20_000);
    const { standard, extended } = buildLimitedMetadataXmp(meta({ prompt }), 65504);
    expect(extended).toBeNull();
    expect(size(standard)).toBeLessThanOrEqual(65504);
    expect(readEmbeddedMetadataFromXmp(standard)?.prompt).toBe(prompt);
    const description = readDescription(standard) ?? '';
    expect(description.endsWith('…')).toBe(true);
    expect(prompt.startsWith(description.slice(0, -1))).toBe(true);
  });

  it('moves the JSON to an Extended XMP packet when it alone is too big', () => {
    const prompt = '&<'.repeat(12_000);
    const { standard, extended } = buildLimitedMetadataXmp(meta({ prompt }), 65504);
    expect(size(standard)).toBeLessThanOrEqual(65504);
    expect(extended).not.toBeNull();
    if (!extended) return;
    expect(extended.guid).toBe(createHash('md5').update(extended.packet).digest('hex').toUpperCase());
    expect(readXmpProperty(standard, XMP_NAMESPACES.xmpNote, 'HasExtendedXMP')).toBe(extended.guid);
    expect(readEmbeddedMetadataFromXmp(standard)).toBeNull();
    expect(readEmbeddedMetadataFromXmp(extended.packet)?.prompt).toBe(prompt);
    expect(extended.packet.startsWith('<?xpacket')).toBe(false);
  });

  it('truncates on whole graphemes, within the byte budget', () => {
    const family = '👩‍👩‍👧';
    const cut = truncateForXml(family.repeat(10), 40);
    expect(cut).toBe(`${family}${family}…`);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(40);
    expect(truncateForXml('&&&&', 12)).toBe('&…');
    expect(truncateForXml('abc', 2)).toBe('');
  });
});
