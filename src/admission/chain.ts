// Runs admission plugins in order; the first rejection stops the request.
import type { AdmissionAttributes, AdmissionPlugin } from "./interfaces.js";

export class AdmissionChain {
  constructor(private readonly plugins: readonly AdmissionPlugin[] = []) {}

  async admit(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.admit && p.handles(attrs.operation)) await p.admit(attrs);
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.validate && p.handles(attrs.operation)) await p.validate(attrs);
  }
}
