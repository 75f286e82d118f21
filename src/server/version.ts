// What /version reports. Clients (and the gcloud kubectl dispatcher) pick behaviour by the minor.

export const DEFAULT_KUBERNETES_VERSION = "v1.33.4";

export interface VersionInfo {
  major: string;
  minor: string;
  emulationMajor?: string;
  emulationMinor?: string;
  minCompatibilityMajor?: string;
  minCompatibilityMinor?: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export function versionInfo(gitVersion: string): VersionInfo {
  const m = gitVersion.match(/^v(\d+)\.(\d+)\.(\d+)(.*)$/);
  if (!m) throw new Error(`--kubernetes-version must look like v1.33.4, got ${JSON.stringify(gitVersion)}`);
  const major = m[1]!;
  const minor = m[2]!;
  const info: VersionInfo = { major, minor, gitVersion, gitCommit: "", gitTreeState: "clean", buildDate: "", goVersion: "", compiler: "gc", platform: "" };
  if (Number(minor) >= 32) {
    Object.assign(info, { emulationMajor: major, emulationMinor: minor, minCompatibilityMajor: major, minCompatibilityMinor: String(Number(minor) - 1) });
  }
  return {
    ...info,
    gitCommit: "5f0b1a3c8e2d4b6a9c7e1f0d3b5a7c9e2f4d6b8a",
    buildDate: "2025-08-12T10:00:00Z",
    goVersion: "go1.24.5",
    platform: `linux/${process.arch === "arm64" ? "arm64" : "amd64"}`,
  };
}
