// A user's picture, or their initials when there is none.
export function Avatar({ name, url, size = 34 }: { name: string; url: string | null; size?: number }) {
  const initials = name
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join("");
  if (url) {
    // eslint-disable-next-line @next/next/no-img-element -- avatars come from arbitrary hosts
    return <img className="avatar" src={url} alt="" width={size} height={size} referrerPolicy="no-referrer" />;
  }
  return (
    <span className="avatar" aria-hidden style={{ width: size, height: size }}>
      {initials || "?"}
    </span>
  );
}
