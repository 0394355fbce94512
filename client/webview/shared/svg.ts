/** Text for SVG/XML markup (the SVG export writes the page's title and font family into the file). */
export function escapeXml(text: string): string {
  // Characters XML 1.0 forbids even escaped are dropped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
