import type { Platform } from "../platform/index.js";
import type { Module } from "../platform/module.js";
import { createIdentityModules } from "./auth/index.js";
import { createOperationsModule } from "./operations/index.js";
import { createSourcesModule } from "./sources/index.js";

/** Every capability, in the order its routes and jobs are registered. Identity comes first: it authenticates the rest. */
export function createModules(platform: Platform): Module[] {
  return [
    ...createIdentityModules(platform),
    createSourcesModule(platform),
    createOperationsModule(platform),
  ];
}
