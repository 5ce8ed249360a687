/** The server's limit on a workspace name (after trimming). */
export const maxWorkspaceName = 100;

/** What is wrong with a workspace name as typed, in words for the form; undefined when it will do. */
export function workspaceNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return "Enter a name for the workspace.";
  if (trimmed.length > maxWorkspaceName) {
    return `Use at most ${maxWorkspaceName} characters (this one has ${trimmed.length}).`;
  }
  return undefined;
}

/** Whether the text typed to confirm a deletion names the workspace (surrounding spaces forgiven). */
export const confirmsName = (typed: string, name: string) => typed.trim() === name;
