// A card's icon by device type (the spec's urn:…:device:<type>:…): small line drawings in the
// page's colour, one for each kind of device the demo and most homes have, a generic one else.
const kPaths: Record<string, string> = {
  light: "M9 18h6M10 21h4M12 3a6 6 0 0 0-4 10.5c.7.7 1 1.5 1 2.5h6c0-1 .3-1.8 1-2.5A6 6 0 0 0 12 3z",
  outlet: "M7 3v5M17 3v5M5 8h14v4a7 7 0 0 1-14 0zM12 19v2",
  "air-conditioner": "M3 5h18v8H3zM6 10h12M8 16l-1 3M12 16v4M16 16l1 3",
  curtain: "M3 3h18M5 3v18c3-4 3-12 0-18M19 3v18c-3-4-3-12 0-18",
  "temperature-humidity-sensor": "M10 14V5a2 2 0 0 1 4 0v9a4 4 0 1 1-4 0zM12 9v7",
  vacuum: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z",
  speaker: "M6 3h12v18H6zM12 7h.01M12 11a3 3 0 1 0 0 6 3 3 0 0 0 0-6z",
  "magnet-sensor": "M5 3h9v18H5zM11 12h.01M17 5v14M20 8v8",
  "motion-sensor": "M12 4a2 2 0 1 0 0 .01M9 21l2-6-2-3 1-4 4 1 2 3M11 15l3 2v4M5 10l4-2",
  other: "M7 7h10v10H7zM10 3v4M14 3v4M10 17v4M14 17v4M3 10h4M3 14h4M17 10h4M17 14h4",
};
const kSameAs: Record<string, string> = { switch: "outlet", "temperature-sensor": "temperature-humidity-sensor" };

// Which drawing a device type gets.
export function iconName(deviceType: string): string {
  const name = kSameAs[deviceType] ?? deviceType;
  return name in kPaths ? name : "other";
}

export function DeviceIcon({ type }: { type: string }) {
  const name = iconName(type);
  return (
    <svg class="icon" data-icon={name} viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" fill="none"
         stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
      <path d={kPaths[name]} />
    </svg>
  );
}
