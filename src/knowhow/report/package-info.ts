import { readFileSync } from 'node:fs';

export interface PackageInfo {
  version: string;
  /** package.json's homepage or repository URL; absent until the project publishes one. */
  projectUrl?: string;
}

let packageInfo: PackageInfo | undefined;

/** The package's version and project URL, read once from package.json (SARIF's driver, MCP's server). */
export function readPackage(): PackageInfo {
  if (packageInfo) return packageInfo;
  let pkg: { version?: string; homepage?: string; repository?: string | { url?: string } } = {};
  try {
    // dist/src/knowhow/report/package-info.js → the package root.
    pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'));
  } catch {
    // A bundled copy without package.json still writes valid SARIF and names its MCP server.
  }
  const repository = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const fromRepository = repository?.replace(/^git\+/, '').replace(/\.git$/, '');
  const projectUrl = [pkg.homepage, fromRepository].find((url) => url && /^https?:\/\//.test(url));
  packageInfo = {
    version: pkg.version ?? '0.0.0',
    projectUrl: projectUrl?.replace(/#.*$/, '').replace(/\/$/, ''),
  };
  return packageInfo;
}
