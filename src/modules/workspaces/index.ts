export {
  type ApiKeyRecord,
  type ApiKeysService,
  createApiKeysService,
  isApiKey,
} from "./api-keys.service.js";
export {
  createInvitationsService,
  type InvitationRecord,
  type InvitationsService,
} from "./invitations.service.js";
export {
  assertCan,
  can,
  type Permission,
  permissionMatrix,
  permissionTable,
  type Role,
  roles,
} from "./permissions.js";
export {
  createWorkspacesService,
  type Member,
  type Membership,
  type UserLookup,
  type WorkspacesService,
  workspaceDeletedEvent,
} from "./workspaces.service.js";
