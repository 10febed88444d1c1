// A card's icon by device type (the spec's urn:…:device:<type>:…): one line drawing for each kind
// of device the demo and most homes have, a generic one else. The drawings are CSS masks in
// styles.css (.icon[data-icon=…]), decoded once per type rather than an SVG per card.
const kIcons = new Set(["light", "outlet", "air-conditioner", "curtain", "temperature-humidity-sensor", "vacuum", "speaker",
                        "magnet-sensor", "motion-sensor"]);
const kSameAs: Record<string, string> = { switch: "outlet", "temperature-sensor": "temperature-humidity-sensor" };

// Which drawing a device type gets.
export function iconName(deviceType: string): string {
  const name = kSameAs[deviceType] ?? deviceType;
  return kIcons.has(name) ? name : "other";
}

export function DeviceIcon({ type }: { type: string }) {
  return <span class="icon" data-icon={iconName(type)} aria-hidden="true" />;
}
