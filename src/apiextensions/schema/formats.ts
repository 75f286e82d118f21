// The string formats the Kubernetes schema validator checks (kube-openapi's strfmt registry as
// apiextensions uses it); a format it does not know accepts any value.
import { isIP } from "node:net";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID_V = (v: number) => new RegExp(`^[0-9a-f]{8}-?[0-9a-f]{4}-?${v}[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$`, "i");
const HOSTNAME = /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;
const MAC = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$|^([0-9a-fA-F]{4}\.){2}[0-9a-fA-F]{4}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w))+$/;

const CHECKS: Record<string, (v: string) => boolean> = {
  date: (v) => DATE.test(v) && !Number.isNaN(Date.parse(v)),
  "date-time": (v) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(v.replace(" ", "T"))),
  datetime: (v) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(v.replace(" ", "T"))),
  duration: (v) => v === "0" || DURATION.test(v),
  uuid: (v) => UUID.test(v),
  uuid3: (v) => UUID_V(3).test(v),
  uuid4: (v) => UUID_V(4).test(v),
  uuid5: (v) => UUID_V(5).test(v),
  hostname: (v) => v.length <= 255 && HOSTNAME.test(v),
  ipv4: (v) => isIP(v) === 4,
  ipv6: (v) => isIP(v) === 6,
  cidr: (v) => {
    const [ip, bits, ...rest] = v.split("/");
    const family = isIP(ip ?? "");
    return rest.length === 0 && family !== 0 && /^\d+$/.test(bits ?? "") && Number(bits) <= (family === 4 ? 32 : 128);
  },
  mac: (v) => MAC.test(v),
  email: (v) => EMAIL.test(v),
  byte: (v) => v.length % 4 === 0 && BASE64.test(v),
  uri: (v) => {
    try {
      return new URL(v).protocol.length > 1;
    } catch {
      return false;
    }
  },
};

/** Whether a string satisfies a format (true for formats the validator does not check). */
export function matchesFormat(format: string, value: string): boolean {
  const check = CHECKS[format];
  return check ? check(value) : true;
}
