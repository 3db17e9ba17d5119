// A run's folder is named `<yyyymmdd-hhmmss>-<name>`, so runs sort by time and say what ran.
export function runFolderName(name: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${name}`;
}
