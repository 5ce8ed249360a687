import { type ReactNode, useId, useState } from "react";

/** Tabs over panels; only the selected panel is rendered. */
export function Tabs({
  tabs,
  label,
}: {
  tabs: { id: string; label: string; content: ReactNode }[];
  label: string;
}) {
  const [selected, setSelected] = useState(tabs[0]?.id);
  const base = useId();
  const current = tabs.find((tab) => tab.id === selected) ?? tabs[0];
  if (!current) return null;
  return (
    <div className="tabs">
      <div className="tab-list" role="tablist" aria-label={label}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`${base}-${tab.id}-tab`}
            aria-selected={tab.id === current.id}
            aria-controls={`${base}-${tab.id}-panel`}
            className={tab.id === current.id ? "tab active" : "tab"}
            onClick={() => setSelected(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-${current.id}-panel`} aria-labelledby={`${base}-${current.id}-tab`}>
        {current.content}
      </div>
    </div>
  );
}
