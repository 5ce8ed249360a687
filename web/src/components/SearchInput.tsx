import { useEffect, useRef, useState } from "react";

/** A text filter that reports its value once the user pauses typing. */
export function SearchInput({
  value,
  onChange,
  placeholder,
  label,
  delayMs = 300,
}: {
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  label: string;
  delayMs?: number;
}) {
  const [draft, setDraft] = useState(value);
  const latest = useRef(onChange);
  latest.current = onChange;

  useEffect(() => setDraft(value), [value]);
  useEffect(() => {
    if (draft === value) return;
    const timer = setTimeout(() => latest.current(draft.trim()), delayMs);
    return () => clearTimeout(timer);
  }, [draft, value, delayMs]);

  return (
    <input
      type="search"
      className="input search-input"
      aria-label={label}
      placeholder={placeholder}
      value={draft}
      onChange={(event) => setDraft(event.target.value)}
    />
  );
}
