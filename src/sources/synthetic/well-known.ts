import type { WellKnown } from "./model.ts";
import { createMunicipality } from "./municipality.ts";

/**
 * Well-known ids of the default municipality (Maastricht, 0935) for tests and the demo. They do
 * not depend on the seed or the size: BSNs and addresses of block 0 are structural.
 */
export const wellKnown: WellKnown = createMunicipality({ seed: 0, size: 4 }).wellKnown;
