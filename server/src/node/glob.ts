/** Minimal glob matching for the `idmRelationships.files` setting: `**`, `*`, `?` and `{a,b}`. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more folders; a trailing `**` anything.
        if (glob[i + 2] === '/') { source += '(?:.*/)?'; i += 2; } else { source += '.*'; i += 1; }
      } else source += '[^/]*';
    } else if (c === '?') source += '[^/]';
    else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close < 0) { source += '\\{'; continue; }
      source += '(?:' + glob.slice(i + 1, close).split(',').map(escape).join('|') + ')';
      i = close;
    } else source += escape(c);
  }
  return new RegExp(`(?:^|/)${source.replace(/^\(\?:\.\*\/\)\?/, '(?:.*/)?')}$`);
}

function escape(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

export function matchesAny(path: string, globs: RegExp[]): boolean {
  const normalised = path.replace(/\\/g, '/');
  return globs.some((glob) => glob.test(normalised));
}
