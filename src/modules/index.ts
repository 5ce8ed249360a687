import type { Platform } from "../platform/index.js";
import type { Module } from "../platform/module.js";
import { createOperationsModule } from "./operations/index.js";

/** Every capability, in the order its routes and jobs are registered. */
export function createModules(platform: Platform): Module[] {
  return [createOperationsModule(platform)];
}
