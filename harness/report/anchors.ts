// Where a cell's section sits in report.html: the id of its section and the link to it, the same
// for the matrix, junit.xml and anyone linking from outside. Cell names are folder names and so
// are plain; any other character is spelled `~hex~` (and `~` itself too), so two names never share
// an anchor and the anchor needs no escaping in a URL, an attribute or XML.

export function cellAnchor(name: string): string {
  return `cell-${name.replace(/[^A-Za-z0-9._-]/gu, (c) => `~${c.codePointAt(0)!.toString(16)}~`)}`;
}

/** The cell's section as a link relative to the results folder, e.g. `report.html#cell-lwt_w-ONE`. */
export function cellReportPath(name: string): string {
  return `report.html#${cellAnchor(name)}`;
}
