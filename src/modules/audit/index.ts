export { registerAuditRoutes } from "./audit.routes.js";
export {
  type Actor,
  type AuditInput,
  type AuditLog,
  createAuditLog,
  type RequestMeta,
} from "./audit.service.js";
