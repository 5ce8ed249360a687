/** The workspace the web app works in, kept per browser so a reload stays where the user was. */
const key = "sightline.workspace";

function storage(): Storage | undefined {
  try {
    return typeof localStorage === "undefined" ? undefined : localStorage;
  } catch {
    // Storage can be switched off (privacy settings): the server's default workspace applies.
    return undefined;
  }
}

export function getWorkspaceId(): string | null {
  return storage()?.getItem(key) ?? null;
}

export function setWorkspaceId(id: string | null): void {
  const store = storage();
  if (!store) return;
  if (id) store.setItem(key, id);
  else store.removeItem(key);
}
