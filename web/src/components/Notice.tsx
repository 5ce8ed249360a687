import type { ReactNode } from "react";
import { Icon, type IconName } from "./Icon.tsx";

type Tone = "info" | "success" | "warning" | "danger";
const icons: Record<Tone, IconName> = { info: "alert", success: "check", warning: "alert", danger: "alert" };

/** A short inline message in a form or card; danger and warning are announced as alerts. */
export function Notice({ tone = "info", children }: { tone?: Tone; children: ReactNode }) {
  return (
    <div
      className={`notice notice-${tone}`}
      role={tone === "danger" || tone === "warning" ? "alert" : "status"}
    >
      <Icon name={icons[tone]} />
      <div>{children}</div>
    </div>
  );
}
