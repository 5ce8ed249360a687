export { createOfflineEngine, draftOffline, MIN_CONFIDENCE } from "./engine.js";
export { readTimes, type TimeSpan } from "./time.js";
