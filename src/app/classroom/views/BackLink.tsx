/** The classroom pages' one way back into the app: a small, quiet link that does not draw the eye on a projector. */
export function BackLink({ href, label }: { href: string; label: string }) {
  return (
    <a href={href} className="cls-back" data-testid="back-link">
      <span aria-hidden="true">← </span>
      {label}
    </a>
  );
}
