import { useState } from "react";
import { SelectField, TextField } from "../../components/Field.tsx";

const presets = [
  { value: "", label: "Only when asked" },
  { value: "hourly", label: "Every hour" },
  { value: "daily", label: "Every day" },
  { value: "weekly", label: "Every week" },
  { value: "monthly", label: "Every month" },
  { value: "custom", label: "Custom (cron)" },
];

const isPreset = (value: string) => presets.some((preset) => preset.value === value && value !== "custom");

/** When an import source is imported again: a preset or a cron expression (UTC); "" is never. */
export function RefreshSchedule({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (cron: string) => void;
  error?: string | undefined;
}) {
  const [custom, setCustom] = useState(!isPreset(value));
  return (
    <div className="refresh-schedule">
      <SelectField
        label="Refresh schedule"
        value={custom ? "custom" : value}
        options={presets}
        onChange={(next) => {
          setCustom(next === "custom");
          onChange(next === "custom" ? "" : next);
        }}
      />
      {custom && (
        <TextField
          label="Cron expression"
          name="refreshCron"
          className="mono"
          placeholder="0 6 * * 1-5"
          hint="Five fields, in UTC: minute, hour, day of month, month, day of week. 0 6 * * 1-5 is 06:00 on weekdays."
          value={value}
          error={error}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
      {!custom && error && <p className="field-error">{error}</p>}
    </div>
  );
}
